//! Writing CSV that a spreadsheet opens safely: every field that could split a line is
//! quoted, and a field that a spreadsheet would run as a formula is defused with a
//! leading apostrophe (OWASP's list: `=`, `+`, `-`, `@`, tab and carriage return).

/// One field, quoted and defused as needed.
pub(crate) fn field(value: &str) -> String {
    let needs_guard = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if needs_guard {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A field read back from a file this module wrote: the apostrophe that [`field`] put
/// before a formula is taken off. (A value that itself began with an apostrophe and one
/// of those characters loses the apostrophe too; names and teams do not start so.)
pub(crate) fn undefused(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// One line of fields, ending in a newline: each field quoted and defused as needed.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=cmd()"), "'=cmd()");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\t=1"), "'\t=1");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("a=b"), "a=b");
        assert_eq!(line(&["x", "=y"]), "x,'=y\n");
    }

    #[test]
    fn the_guard_comes_off_what_it_guarded_and_nothing_else() {
        for value in ["=cmd()", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(undefused(&format!("'{value}")), value);
        }
        assert_eq!(undefused("'quoted'"), "'quoted'");
        assert_eq!(undefused("O'Brien"), "O'Brien");
        assert_eq!(undefused("plain"), "plain");
    }
}
