//! Arbitrary text into the query parser: it must never panic, and whatever
//! it accepts must print to text that parses back to the same tree.
//!
//! Run with `cargo +nightly fuzz run parse` from `fuzz/`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = eje::query::lexer::tokens(text);
    if let Ok(script) = eje::query::parser::parse(text) {
        let printed = script.to_string();
        match eje::query::parser::parse(&printed) {
            Ok(again) => assert_eq!(again, script, "the print of {text:?} is {printed:?}"),
            Err(e) => panic!(
                "the print of {text:?} does not parse: {printed:?}: {}",
                e.message
            ),
        }
    }
});
