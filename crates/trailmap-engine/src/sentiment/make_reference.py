r"""Writes reference.tsv: VADER scores computed by the Python package, for the Rust port's tests.

Run from this folder, with vaderSentiment 3.3.2 (the version whose lexicons are shipped here):

    python3 -m venv /tmp/vader-venv && /tmp/vader-venv/bin/pip install vaderSentiment==3.3.2
    /tmp/vader-venv/bin/python make_reference.py > reference.tsv

Columns: text, neg, neu, pos, compound, tab-separated, after a header line. In the text,
backslash, tab, newline and carriage return are written as \\, \t, \n and \r, and any other
control character as \u{hex}; the Rust test undoes this.
"""

import random
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SENTENCES = [
    # The package's own demo sentences.
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    # Reviews.
    "Great product, arrived on time and works perfectly. Highly recommend!",
    "Terrible quality. The strap broke after two days and the seller never replied.",
    "It's okay. Does the job, nothing special.",
    "I absolutely love this app, but the latest update is slow and buggy.",
    "Worst purchase I have ever made. Do not buy!!!",
    "The hotel was clean and the staff were friendly, although breakfast was a bit disappointing.",
    "Five stars. Would buy again :)",
    "meh",
    # Support chats and emails.
    "Hi, my order #4521 still hasn't arrived and I'm getting really frustrated.",
    "Thanks so much for the quick help, you guys are amazing!",
    "I've been on hold for 45 minutes. This is unacceptable.",
    "Can you please reset my password? I can't log in.",
    "Why is my card charged twice??? Fix this NOW",
    "Dear support,\n\nI would like to cancel my subscription.\nThe service has not been useful.\n\nRegards,\nAnna",
    "ok thx",
    "Is this a joke?? Seriously???",
    # Negations, boosters, dampeners, idioms.
    "This is not good.",
    "This isn't good at all.",
    "This is never so good.",
    "I don't think it is very good.",
    "It was not the worst experience.",
    "no problems, no complaints",
    "No good or bad news.",
    "It is slightly disappointing.",
    "It is sort of nice, kind of okay.",
    "The pizza here is to die for",
    "Yeah right, like that will ever happen.",
    "That was the kiss of death for the project.",
    "Nothing helpful, nowhere to turn, without hope.",
    "The support was the least helpful I have seen.",
    "At the very least it is cheap.",
    # Caps and punctuation.
    "I LOVE this phone",
    "I LOVE THIS PHONE",
    "GREAT service, terrible food",
    "good!",
    "good!!!!!!!!",
    "bad??",
    "bad????",
    "!!!???",
    # "but", including equal sentiments before it (Python's list.index quirk).
    "good good good but bad",
    "nice and nice, but horrible and horrible",
    "but",
    # Emoji and emoticons.
    "😁",
    "Service was 👍👍 but the app 😡",
    "thanks❤️",
    "I am so sad :( :-(",
    "🇫🇷 flags and 👩‍💻 sequences",
    # Empty, whitespace, odd characters.
    "",
    "   \t\n  ",
    "...",
    "good\x1cbad\x1fgreat",
    "good\u00a0bad\u2003happy\u3000sad",
    "\x00\x07 control \x1b[31m red \x7f",
    "Kelvin sign: \u212aind of good",
    "ΣΟΦΟΣ ΛΟΓΟΣ good",
    "e\u0301te\u0301 superbe",
    "I\u0307stanbul great",
    # Other languages.
    "Le service client était excellent, merci beaucoup !",
    "Das Produkt ist leider kaputt angekommen.",
    "El envío fue rápido y el producto es bueno.",
    "サポートの対応がとても良かったです",
    "Обслуживание ужасное",
    "这个产品很好 good",
]


def long_texts():
    """Texts of about 2,000 characters: a long review, a long rant, and seeded random word soup."""
    review = (
        "The checkout was smooth and the delivery was fast. "
        "However the box was damaged, but the support team was helpful and kind. "
    )
    yield (review * 20)[:2000]
    rant = "I am NOT happy!!! Nothing works, the app crashes and nobody answers. "
    yield (rant * 30)[:2000]
    rng = random.Random(20140601)
    vocabulary = [
        "good", "bad", "not", "very", "but", "never", "so", "no", "least", "kind", "of",
        "the", "shit", "GREAT", "terrible", "!", "?", ":)", "😁", "n't", "sort", "without",
        "doubt", "slightly", "happy", "sad", "love", "hate", "refund", "order", "at",
    ]
    for _ in range(3):
        words = []
        while sum(len(w) + 1 for w in words) < 2000:
            words.append(rng.choice(vocabulary))
        yield " ".join(words)[:2000]


def escape(text):
    out = []
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == "\t":
            out.append("\\t")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def main():
    analyzer = SentimentIntensityAnalyzer()
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    out.write("text\tneg\tneu\tpos\tcompound\n")
    for text in SENTENCES + list(long_texts()):
        s = analyzer.polarity_scores(text)
        out.write(f"{escape(text)}\t{s['neg']}\t{s['neu']}\t{s['pos']}\t{s['compound']}\n")


if __name__ == "__main__":
    main()
