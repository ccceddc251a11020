//! Byte offsets to one-based line and column numbers.
//!
//! Columns count Unicode scalar values (characters), not bytes and not display cells: that is
//! what editors' "go to line:column" expects for a UTF-8 file. A byte-order mark at the start
//! of the file counts as nothing: it is not part of the first line's text anyone sees.

/// A one-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// The line and column of `offset` in `text` (the text this index was built from).
    /// Offsets past the end or inside a character are clamped to a valid position.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_idx = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line_idx];
        let mut column = text[line_start..offset].chars().count() + 1;
        if line_idx == 0 && text.starts_with('\u{feff}') && offset > 0 {
            column -= 1;
        }
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// The byte range of one-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let idx = line.saturating_sub(1).min(self.line_starts.len() - 1);
        let start = self.line_starts[idx];
        let mut end = self
            .line_starts
            .get(idx + 1)
            .map_or(text.len(), |&next| next - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    pub fn n_lines(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let text = "a: 1\nnäme: x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, column: 1 });
        // `x` is after a two-byte `ä`: byte 12 is character column 7.
        assert_eq!(index.line_col(text, 12), LineCol { line: 2, column: 7 });
        assert_eq!(index.line_col(text, 999), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_range(text, 2), 5..13);
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let text = "\u{feff}trailmap: 1";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
    }
}
