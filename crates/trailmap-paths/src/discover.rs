//! Process discovery on a case log: directly-follows graph, variants, case durations.
