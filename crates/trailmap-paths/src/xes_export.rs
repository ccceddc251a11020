//! A case log written as an IEEE 1849 XES event log.
