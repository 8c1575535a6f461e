//! A plain-text editor pane: a textarea over a backdrop that underlines the span of a problem, with the
//! message (line:col) under it. It knows texts, positions and DOM events; nothing of SQL or plans.

use std::rc::Rc;

use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

/// A span to underline: 1-based line and columns in characters; `end_col` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub line: u32,
    pub col: u32,
    pub end_col: u32,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// DOM id of the textarea (also names the pane in tests).
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: Rc<str>,
    pub rows: u32,
    pub on_input: Callback<String>,
    #[prop_or_default]
    pub mark: Option<Mark>,
    /// `line:col: message` shown under the editor.
    #[prop_or_default]
    pub error: Option<String>,
}

#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let backdrop = use_node_ref();

    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    // Keep the backdrop's underline under the text while the textarea scrolls.
    let onscroll = {
        let backdrop = backdrop.clone();
        Callback::from(move |e: Event| {
            let area: Element = e.target_unchecked_into();
            if let Some(b) = backdrop.cast::<Element>() {
                b.set_scroll_top(area.scroll_top());
                b.set_scroll_left(area.scroll_left());
            }
        })
    };

    let error_id = format!("{}-error", props.id);
    let has_error = props.error.is_some();
    html! {
        <div class={classes!("editor", has_error.then_some("has-error"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="editor-box">
                <pre class="backdrop" ref={backdrop} aria-hidden="true">{ backdrop_content(&props.value, props.mark) }</pre>
                <textarea
                    id={props.id.clone()}
                    rows={props.rows.to_string()}
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    aria-invalid={has_error.to_string()}
                    aria-describedby={has_error.then(|| error_id.clone())}
                    value={props.value.to_string()}
                    {oninput}
                    {onscroll}
                />
            </div>
            if let Some(msg) = &props.error {
                <p class="diag" id={error_id} role="alert">{ msg.clone() }</p>
            }
        </div>
    }
}

/// The backdrop mirrors the text (invisibly) and wraps the marked span in `<mark>`.
fn backdrop_content(text: &str, mark: Option<Mark>) -> Html {
    // A trailing newline would otherwise be swallowed by <pre>, shifting the last line.
    let mut text = text.to_string();
    text.push(' ');
    let Some(m) = mark else {
        return html! { { text } };
    };
    let Some((start, end)) = mark_byte_range(&text, m) else {
        return html! { { text } };
    };
    let (before, rest) = text.split_at(start);
    let (marked, after) = rest.split_at(end - start);
    // An empty span (end of line or of text) still needs something to underline.
    let marked = if marked.is_empty() || marked == "\n" {
        format!(" {marked}")
    } else {
        marked.to_string()
    };
    html! { <>{ before.to_string() }<mark class="err">{ marked }</mark>{ after.to_string() }</> }
}

/// Byte range of the mark in `text`: from (line, col) to `end_col` on the same line, or to the end of the
/// token there when the span is a point; `None` when the line does not exist.
fn mark_byte_range(text: &str, m: Mark) -> Option<(usize, usize)> {
    if m.line == 0 {
        return None;
    }
    let mut line_start = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i + 1 == m.line as usize {
            let char_at = |col: u32| -> usize {
                line.char_indices()
                    .nth(col.saturating_sub(1) as usize)
                    .map(|(b, _)| b)
                    .unwrap_or(line.len())
            };
            let start = char_at(m.col.max(1));
            let end = if m.end_col > m.col {
                char_at(m.end_col)
            } else {
                let token = line[start..]
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(line.len() - start);
                start + token.max(line[start..].chars().next().map_or(0, char::len_utf8))
            };
            return Some((line_start + start, line_start + end.max(start)));
        }
        line_start += line.len() + 1;
    }
    None
}
