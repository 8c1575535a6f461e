//! Share links: arbitrary text through `share::decode` (fragment parsing, base64url, the bounded LZ4
//! inflate, the payload parser), and arbitrary payload text through `share::decode_payload`; whatever
//! decodes must survive `encode` → `decode` unchanged. Must never panic or allocate past the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stagecraft::share;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let decoded = if mode % 2 == 0 { share::decode(text) } else { share::decode_payload(text) };
    if let Ok(state) = decoded {
        let again = share::decode(&share::encode(&state)).expect("an encoded state decodes");
        assert_eq!(again, state, "share link round trip");
    }
});
