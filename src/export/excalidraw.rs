//! The job/stage DAG as an Excalidraw scene (`type: "excalidraw"`, `version: 2`): a rectangle with bound
//! text per stage (skipped stages grey), a text title per job and an arrow bound to both boxes per shuffle
//! edge, labelled (a text bound to the arrow, as Excalidraw's arrow labels are) with the bytes the child
//! stage read, as the SVG export labels it. Ids and seeds are derived from positions in the drawing, so the same jobs give the same bytes.
//! Knows the Excalidraw element schema; the placement comes from [`super::layout`].

use super::{json_str, layout, BOX_H, BOX_W};
use crate::stage_graph::StageGraph;

/// Fields every Excalidraw element carries (besides id, type, position and size).
fn common(seed: usize, stroke: &str, background: &str, bound: &str) -> String {
    format!(
        "\"angle\":0,\"strokeColor\":\"{stroke}\",\"backgroundColor\":\"{background}\",\"fillStyle\":\"solid\",\"strokeWidth\":1,\"strokeStyle\":\"solid\",\"roughness\":0,\"opacity\":100,\"groupIds\":[],\"frameId\":null,\"seed\":{s},\"version\":1,\"versionNonce\":{s},\"isDeleted\":false,\"boundElements\":[{bound}],\"updated\":1,\"link\":null,\"locked\":false",
        s = seed + 1
    )
}

/// `rect` = (x, y, width, height).
fn text_element(id: &str, rect: (i64, i64, i64, i64), text: &str, size: u32, container: Option<&str>, seed: usize, ink: &str) -> String {
    let (x, y, w, h) = rect;
    let container = container.map_or("null".to_string(), json_str);
    let align = if container == "null" { "left" } else { "center" };
    format!(
        "{{\"id\":{},\"type\":\"text\",\"x\":{x},\"y\":{y},\"width\":{w},\"height\":{h},{},\"roundness\":null,\"text\":{t},\"originalText\":{t},\"fontSize\":{size},\"fontFamily\":2,\"textAlign\":\"{align}\",\"verticalAlign\":\"middle\",\"containerId\":{container},\"autoResize\":true,\"lineHeight\":1.25}}",
        json_str(id),
        common(seed, ink, "transparent", ""),
        t = json_str(text)
    )
}

/// The stage DAG `g` as an `.excalidraw` JSON document.
pub fn stage_dag_excalidraw(g: &StageGraph) -> String {
    let l = layout(g);
    let mut elements: Vec<String> = vec![];
    let box_id = |i: usize| format!("stage-{}-{}", l.boxes[i].job_id, l.boxes[i].stage_id);
    for (i, j) in l.jobs.iter().enumerate() {
        let id = format!("job-{}", j.job_id);
        elements.push(text_element(&id, (j.x, j.y, BOX_W, 25), &j.text, 20, None, elements.len() + i, "#1e1e1e"));
    }
    for (i, b) in l.boxes.iter().enumerate() {
        let id = box_id(i);
        let text_id = format!("{id}-text");
        let mut bound = vec![format!("{{\"id\":{},\"type\":\"text\"}}", json_str(&text_id))];
        for (k, e) in l.edges.iter().enumerate() {
            if e.from == i || e.to == i {
                bound.push(format!("{{\"id\":\"edge-{k}\",\"type\":\"arrow\"}}"));
            }
        }
        let (stroke, fill, ink) = if b.skipped { ("#adb5bd", "#e9ecef", "#868e96") } else { ("#1971c2", "#d0ebff", "#1e1e1e") };
        elements.push(format!(
            "{{\"id\":{},\"type\":\"rectangle\",\"x\":{},\"y\":{},\"width\":{BOX_W},\"height\":{BOX_H},{},\"roundness\":{{\"type\":3}}}}",
            json_str(&id),
            b.x,
            b.y,
            common(elements.len(), stroke, fill, &bound.join(","))
        ));
        let seed = elements.len();
        elements.push(text_element(&text_id, (b.x + 10, b.y + 10, BOX_W - 20, BOX_H - 20), &b.label(), 16, Some(&id), seed, ink));
    }
    for (k, e) in l.edges.iter().enumerate() {
        let (a, b) = (&l.boxes[e.from], &l.boxes[e.to]);
        let (x, y) = (a.x + BOX_W, a.y + BOX_H / 2);
        let (dx, dy) = (b.x - x, b.y + BOX_H / 2 - y);
        let arrow_id = format!("edge-{k}");
        let label = (e.bytes > 0).then(|| crate::conf::fmt_bytes(e.bytes));
        let bound = if label.is_some() { format!("{{\"id\":\"{arrow_id}-label\",\"type\":\"text\"}}") } else { String::new() };
        elements.push(format!(
            "{{\"id\":\"edge-{k}\",\"type\":\"arrow\",\"x\":{x},\"y\":{y},\"width\":{},\"height\":{},{},\"roundness\":null,\"points\":[[0,0],[{dx},{dy}]],\"lastCommittedPoint\":null,\"startBinding\":{{\"elementId\":{},\"focus\":0,\"gap\":1}},\"endBinding\":{{\"elementId\":{},\"focus\":0,\"gap\":1}},\"startArrowhead\":null,\"endArrowhead\":\"arrow\",\"elbowed\":false}}",
            dx.abs(),
            dy.abs(),
            common(elements.len(), "#495057", "transparent", &bound),
            json_str(&box_id(e.from)),
            json_str(&box_id(e.to))
        ));
        if let Some(text) = label {
            let (w, h) = (8 * text.len() as i64, 18);
            let seed = elements.len();
            elements.push(text_element(&format!("{arrow_id}-label"), (x + dx / 2 - w / 2, y + dy / 2 - h / 2, w, h), &text, 12, Some(&arrow_id), seed, "#495057"));
        }
    }
    format!(
        "{{\"type\":\"excalidraw\",\"version\":2,\"source\":\"stagecraft\",\"elements\":[\n{}\n],\"appState\":{{\"viewBackgroundColor\":\"#ffffff\",\"gridSize\":null}},\"files\":{{}}}}\n",
        elements.join(",\n")
    )
}
