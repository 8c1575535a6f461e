//! The job/stage DAG as a standalone SVG document (valid XML, text escaped): one titled column group per
//! job, a box per stage (skipped stages grey), an arrow per shuffle edge labelled with the bytes read (as the
//! browser's stage graphs). Knows SVG; the placement comes from [`super::layout`].

use super::{layout, BOX_H, BOX_W};
use crate::stage_graph::StageGraph;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The stage DAG `g` as an SVG document.
pub fn stage_dag_svg(g: &StageGraph) -> String {
    let l = layout(g);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"13\">\n<title>Stagecraft: jobs and stages</title>\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#495057\"/></marker></defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        w = l.width,
        h = l.height
    );
    for j in &l.jobs {
        out += &format!("<text x=\"{}\" y=\"{}\" font-weight=\"bold\" font-size=\"15\">{}</text>\n", j.x, j.y + 16, xml_escape(&j.text));
    }
    for e in &l.edges {
        let (a, b) = (&l.boxes[e.from], &l.boxes[e.to]);
        out += &format!(
            "<line class=\"shuffle\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#495057\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n",
            a.x + BOX_W,
            a.y + BOX_H / 2,
            b.x,
            b.y + BOX_H / 2
        );
        if e.bytes > 0 {
            out += &format!("<text class=\"bytes\" x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#495057\">{}</text>\n", a.x + BOX_W + 4, a.y + BOX_H / 2 - 6, crate::conf::fmt_bytes(e.bytes));
        }
    }
    for b in &l.boxes {
        let (fill, stroke, ink) = if b.skipped { ("#e9ecef", "#adb5bd", "#868e96") } else { ("#d0ebff", "#1c7ed6", "#212529") };
        out += &format!(
            "<g class=\"stage{}\" data-job=\"{}\" data-stage=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
            if b.skipped { " skipped" } else { "" },
            b.job_id,
            b.stage_id,
            b.x,
            b.y
        );
        for (i, line) in b.label().lines().enumerate() {
            out += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                b.x + BOX_W / 2,
                b.y + 25 + 18 * i as i64,
                xml_escape(line)
            );
        }
        out += "</g>\n";
    }
    out + "</svg>\n"
}
