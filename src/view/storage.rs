//! The Spark UI's Storage tab: one row per cached RDD (ID, RDD Name, Storage Level, Cached Partitions,
//! Fraction Cached, Size in Memory, Size on Disk, as Spark names the columns), and under it each RDD's page
//! folded in a `<details>`: its data distribution over the executors and its blocks (the first 100, Spark's
//! page size). With nothing cached Spark's page has no RDD table; a note says so here. Renders
//! `crate::trace::storage`'s rows; knows nothing of how they were computed.

use yew::prelude::*;

use super::fmt_bytes;
use super::tables::{head, row};
use crate::trace::storage::RddStorageInfo;

/// Blocks listed per RDD (Spark's RDD page shows 100 a page).
const BLOCKS_SHOWN: usize = 100;

/// The first line of a (multi-line plan) name.
fn first_line(name: &str) -> String {
    let mut lines = name.lines();
    let first = lines.next().unwrap_or_default().to_string();
    if lines.next().is_some() { format!("{first} …") } else { first }
}

fn rdd_page(r: &RddStorageInfo) -> Html {
    let shown = r.partitions.len().min(BLOCKS_SHOWN);
    html! {
        <details class="rdd" id={format!("rdd-{}", r.id)}>
            <summary>{ format!("RDD Storage Info for {}", first_line(&r.name)) }</summary>
            if r.name.contains('\n') { <pre class="rdd-name">{ r.name.clone() }</pre> }
            <table>{ head(&["Storage Level", "Cached Partitions", "Total Partitions", "Memory Size", "Disk Size"]) }<tbody>
                { row(vec![r.storage_level.into(), r.num_cached_partitions.to_string(), r.num_partitions.to_string(), fmt_bytes(r.memory_used), fmt_bytes(r.disk_used)]) }
            </tbody></table>
            <h4>{ format!("Data Distribution on {} Executors", r.data_distribution.len()) }</h4>
            <table>{ head(&["Host", "On Heap Memory Usage", "Off Heap Memory Usage", "Disk Usage"]) }<tbody>
                { for r.data_distribution.iter().map(|d| row(vec![format!("executor {}", d.executor_id),
                    format!("{} ({} Remaining)", fmt_bytes(d.memory_used), fmt_bytes(d.memory_remaining)), format!("{} ({} Remaining)", fmt_bytes(0), fmt_bytes(0)), fmt_bytes(d.disk_used)])) }
            </tbody></table>
            <h4>{ format!("{} Partitions", r.partitions.len()) }</h4>
            <table class="blocks">{ head(&["Block Name", "Storage Level", "Size in Memory", "Size on Disk", "Executors"]) }<tbody>
                { for r.partitions[..shown].iter().map(|p| row(vec![p.block_name.clone(), p.storage_level.into(), fmt_bytes(p.memory_used), fmt_bytes(p.disk_used),
                    p.executors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")])) }
            </tbody></table>
            if shown < r.partitions.len() { <p class="note">{ format!("The first {shown} of {} blocks.", r.partitions.len()) }</p> }
        </details>
    }
}

/// The Storage tab for `rdds`.
pub fn storage_tab(rdds: &[RddStorageInfo]) -> Html {
    if rdds.is_empty() {
        return html! { <p class="note" id="storage-empty">{ "No RDD is persisted in this run, so Spark's Storage page shows no RDD table. CACHE TABLE (or a cached DataFrame) fills it." }</p> };
    }
    html! { <>
        <h4>{ "RDDs" }</h4>
        <table id="storage">{ head(&["ID", "RDD Name", "Storage Level", "Cached Partitions", "Fraction Cached", "Size in Memory", "Size on Disk"]) }<tbody>
            { for rdds.iter().map(|r| html! { <tr>
                <td>{ r.id }</td>
                <td title={r.name.clone()}>{ first_line(&r.name) }</td>
                <td>{ r.storage_level }</td>
                <td>{ r.num_cached_partitions }</td>
                <td>{ r.fraction_cached() }</td>
                <td>{ fmt_bytes(r.memory_used) }</td>
                <td>{ fmt_bytes(r.disk_used) }</td>
            </tr> }) }
        </tbody></table>
        { for rdds.iter().map(rdd_page) }
    </> }
}
