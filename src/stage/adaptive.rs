//! AQE's re-optimization between query stages, applied to the plan `Run::adaptive` executes: the
//! stage cache (identical shuffles reused), runtime join selection (`DynamicJoinSelection` hints, then
//! `JoinSelection` on materialised sizes: a sort-merge join whose side's real `dataSize` is within
//! `spark.sql.adaptive.autoBroadcastJoinThreshold` becomes a broadcast hash join; the reverse to a
//! shuffled hash join via `maxShuffledHashJoinLocalMapThreshold`), `OptimizeSkewedJoin` and
//! `OptimizeShuffleWithLocalRead`. Rewrites plans and records decisions; the arithmetic lives in
//! `aqe`, the partition sizes in `distribution`. Knows nothing of time.

use super::aqe::{self, AqeDecision, SkewSide};
use super::distribution::{shuffle_sizes, ShuffleSizes};
use super::partitions::num_partitions_with;
use super::{JoinChange, Run};
use crate::conf::{bytes_to_string, SparkConf};
use crate::logical::plan::JoinType;
use crate::physical::partitioning::{BroadcastMode, Partitioning, ShuffleOrigin};
use crate::physical::plan::{BuildSide, HashJoinExec, JoinDecision, Op, SortMergeJoinExec, SparkPlan};
use crate::physical::reuse::canonical;

/// What AQE knows of a join side after its stages materialised.
struct RuntimeSide {
    /// `sizeInBytes` of the side's logical plan: the stage's `dataSize` (uncompressed row bytes).
    data_size: f64,
    /// The stage's `bytesByPartitionId`.
    sizes: Vec<u64>,
    /// The join child is the query stage itself (DynamicJoinSelection looks only at those).
    direct: bool,
    /// Sizes from a materialised stage (else the optimizer's static estimate).
    runtime: bool,
}

/// Replaces exchanges identical to an earlier one (bottom-up) by `ReusedExchange`, as AQE's stage
/// cache does (subquery plans keep their own).
pub fn reuse_shuffles(plan: SparkPlan, conf: &SparkConf) -> SparkPlan {
    if !conf.get_bool("spark.sql.exchange.reuse") {
        return plan;
    }
    let mut seen: Vec<(String, SparkPlan)> = vec![];
    plan.transform_up(&mut |node| {
        if !matches!(node.op, Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. }) {
            return node;
        }
        let key = canonical(&node);
        if let Some((_, original)) = seen.iter().find(|(k, _)| *k == key) {
            let output = node.output();
            return SparkPlan { op: Op::ReusedExchange { output, reused: Box::new(original.clone()) }, children: vec![], subqueries: vec![], stats: node.stats };
        }
        seen.push((key, node.clone()));
        node
    })
}

fn can_build_left(jt: JoinType) -> bool {
    matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::RightOuter)
}

fn can_build_right(jt: JoinType) -> bool {
    matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti)
}

/// Whether an operator needs its children partitioned a particular way (so a read that changes the
/// partitioning below it would need a new shuffle).
pub(super) fn requires_distribution(p: &SparkPlan) -> bool {
    match &p.op {
        Op::Aggregate(a) => a.required_distribution.as_ref().map(|k| !k.is_empty()).unwrap_or(false),
        Op::SortMergeJoin(_) | Op::ShuffledHashJoin(_) => true,
        Op::Window { partition_by, .. } => !partition_by.is_empty(),
        Op::WindowGroupLimit { mode, .. } => matches!(mode, crate::physical::plan::WindowGroupLimitMode::Final),
        _ => false,
    }
}

fn strip_sort(p: SparkPlan) -> SparkPlan {
    match p.op {
        Op::Sort { global: false, .. } => p.children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::OneRowRelation)),
        _ => p,
    }
}

impl Run<'_> {
    /// The map output statistics of a (possibly reused) shuffle exchange.
    pub(super) fn sizes(&self, ex: &SparkPlan) -> ShuffleSizes {
        let ex = match &ex.op {
            Op::ReusedExchange { reused, .. } => reused.as_ref(),
            _ => ex,
        };
        let maps = ex.children.first().map(|c| num_partitions_with(c, &self.reads)).unwrap_or(1);
        shuffle_sizes(&self.model, ex, maps, self.conf)
    }

    fn is_done(&self, p: &SparkPlan) -> Option<u32> {
        match &p.op {
            Op::ShuffleExchange { plan_id, .. } if self.done.contains(&self.key(*plan_id)) => Some(*plan_id),
            Op::ReusedExchange { reused, .. } => self.is_done(reused),
            _ => None,
        }
    }

    fn runtime_side(&self, p: &SparkPlan, direct: bool) -> Option<RuntimeSide> {
        if self.is_done(p).is_some() {
            let ex = match &p.op {
                Op::ReusedExchange { reused, .. } => reused.as_ref(),
                _ => p,
            };
            let sizes = self.sizes(ex).bytes_by_partition();
            return Some(RuntimeSide { data_size: self.model.data_size(&ex.children[0]), sizes, direct, runtime: true });
        }
        match &p.op {
            Op::Sort { global: false, .. } | Op::AqeShuffleRead { .. } => self.runtime_side(p.children.first()?, direct),
            Op::ShuffleExchange { .. } => self.runtime_side(p.children.first()?, direct),
            Op::Filter { .. } | Op::Project { .. } => self.runtime_side(p.children.first()?, false),
            Op::Aggregate(a) if a.required_distribution.is_some() => self.runtime_side(p.children.first()?, false),
            _ => None,
        }
    }

    /// Runtime join selection over the plan's joins not yet inside a materialised stage.
    pub(super) fn replan_joins(&mut self, p: SparkPlan) -> SparkPlan {
        if self.is_done(&p).is_some() {
            return p;
        }
        if let Op::BroadcastExchange { plan_id, .. } = &p.op {
            if self.broadcasts.contains(&(self.exec, *plan_id)) {
                return p;
            }
        }
        let SparkPlan { op, children, subqueries, stats } = p;
        let children: Vec<SparkPlan> = children.into_iter().map(|c| self.replan_joins(c)).collect();
        let node = SparkPlan { op, children, subqueries, stats };
        match &node.op {
            Op::SortMergeJoin(j) if !j.skew => self.replan_smj(node),
            _ => node,
        }
    }

    fn replan_smj(&mut self, node: SparkPlan) -> SparkPlan {
        let Op::SortMergeJoin(j) = &node.op else { return node };
        if j.decision.why.contains("MERGE hint") || node.children.len() != 2 {
            return node;
        }
        // A side not materialised yet keeps its static estimate (and the static threshold).
        let static_side = |c: &SparkPlan| RuntimeSide {
            data_size: c.stats.as_ref().map(|s| s.size_in_bytes as f64).unwrap_or(f64::INFINITY),
            sizes: vec![],
            direct: false,
            runtime: false,
        };
        let (l, r) = match (self.runtime_side(&node.children[0], true), self.runtime_side(&node.children[1], true)) {
            (None, None) => return node,
            (l, r) => (l.unwrap_or_else(|| static_side(&node.children[0])), r.unwrap_or_else(|| static_side(&node.children[1]))),
        };
        let jt = j.join_type;
        let ratio = self.conf.get_f64("spark.sql.adaptive.nonEmptyPartitionRatioForBroadcastJoin");
        let outer_like = matches!(jt, JoinType::LeftOuter | JoinType::RightOuter | JoinType::LeftAnti);
        let empty_l = l.direct && aqe::many_empty_partitions(&l.sizes, ratio);
        let empty_r = r.direct && aqe::many_empty_partitions(&r.sizes, ratio);
        let demote = |plan_empty: bool, other_empty: bool, can: bool| {
            if plan_empty && can {
                !outer_like
            } else {
                other_empty && can && outer_like
            }
        };
        let threshold = self.conf.adaptive_broadcast_threshold();
        let static_threshold = self.conf.broadcast_threshold();
        let fits = |s: &RuntimeSide| {
            let t = if s.runtime { threshold } else { static_threshold };
            t > 0 && s.data_size <= t as f64
        };
        let lb = can_build_left(jt) && fits(&l) && !demote(empty_l, empty_r, can_build_left(jt));
        let rb = can_build_right(jt) && fits(&r) && !demote(empty_r, empty_l, can_build_right(jt));
        let non_empty = |s: &RuntimeSide| s.sizes.iter().filter(|x| **x > 0).count();
        let build = match (lb, rb) {
            (true, true) if r.data_size <= l.data_size => Some(BuildSide::BuildRight),
            (true, true) | (true, false) => Some(BuildSide::BuildLeft),
            (false, true) => Some(BuildSide::BuildRight),
            (false, false) => None,
        };
        let threshold_text = if threshold > 0 { bytes_to_string(threshold as u128) } else { "-1 (off)".into() };
        let Some(b) = build else {
            let demoted = (can_build_left(jt) && fits(&l) && demote(empty_l, empty_r, true)) || (can_build_right(jt) && fits(&r) && demote(empty_r, empty_l, true));
            if demoted && !self.decisions.iter().any(|d| d.rule == "DynamicJoinSelection" && d.numbers.first().map(|n| n.1) == Some(l.data_size)) {
                self.decisions.push(AqeDecision {
                    rule: "DynamicJoinSelection".into(),
                    description: format!(
                        "a side fits {threshold_text} but has too many empty partitions (non-empty {} and {} of {} < ratio {ratio}) → NO_BROADCAST_HASH, the sort-merge join stays",
                        non_empty(&l),
                        non_empty(&r),
                        l.sizes.len()
                    ),
                    numbers: vec![("left_data_size".into(), l.data_size), ("right_data_size".into(), r.data_size), ("threshold".into(), threshold as f64), ("ratio".into(), ratio)],
                });
            }
            return self.maybe_shuffled_hash(node, &l, &r);
        };
        let (side, size) = match b {
            BuildSide::BuildLeft => ("left", l.data_size),
            BuildSide::BuildRight => ("right", r.data_size),
        };
        let why = format!(
            "AQE re-plan: the {side} side's materialised size {} ≤ {threshold_text} spark.sql.adaptive.autoBroadcastJoinThreshold → broadcast hash join, {}",
            bytes_to_string(size as u128),
            b.name()
        );
        self.decisions.push(AqeDecision {
            rule: "JoinSelection (AQE re-plan)".into(),
            description: why.clone(),
            numbers: vec![("left_data_size".into(), l.data_size), ("right_data_size".into(), r.data_size), ("threshold".into(), threshold as f64)],
        });
        let SparkPlan { op, children, subqueries, stats } = node;
        let Op::SortMergeJoin(j) = op else { unreachable!("matched above") };
        let mut it = children.into_iter();
        let (left, right) = match (it.next(), it.next()) {
            (Some(a), Some(c)) => (a, c),
            _ => unreachable!("two children checked above"),
        };
        let strip = |this: &Run, p: SparkPlan| -> SparkPlan {
            let p = strip_sort(p);
            // A shuffle not yet run that only fed the sort-merge join is no longer needed.
            if matches!(p.op, Op::ShuffleExchange { .. }) && this.is_done(&p).is_none() {
                return p.children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::OneRowRelation));
            }
            p
        };
        let (left, right) = (strip(self, left), strip(self, right));
        let decision = JoinDecision { strategy: "BroadcastHashJoin".into(), join_type: j.decision.join_type.clone(), build_side: Some(b), why };
        let wrap = |this: &mut Run, child: SparkPlan, keys: &[crate::logical::expr::Expr]| {
            let mode = BroadcastMode::hashed(keys, &child.output(), false);
            let plan_id = this.next_plan_id;
            this.next_plan_id += 1;
            let stats = child.stats.clone();
            SparkPlan { op: Op::BroadcastExchange { mode, plan_id }, children: vec![child], subqueries: vec![], stats }
        };
        let (left, right) = match b {
            BuildSide::BuildLeft => (wrap(self, left, &j.left_keys), right),
            BuildSide::BuildRight => (left, wrap(self, right, &j.right_keys)),
        };
        self.join_changes.push(JoinChange { before: j.decision.clone(), after: decision.clone(), skew: false, removed: false });
        let hj = HashJoinExec { left_keys: j.left_keys, right_keys: j.right_keys, join_type: j.join_type, build_side: b, condition: j.condition, null_aware: false, decision };
        SparkPlan { op: Op::BroadcastHashJoin(hj), children: vec![left, right], subqueries, stats }
    }

    /// `DynamicJoinSelection`'s PREFER_SHUFFLE_HASH: every partition of a directly joined stage within
    /// `maxShuffledHashJoinLocalMapThreshold` (and the advisory size too) → shuffled hash join.
    fn maybe_shuffled_hash(&mut self, node: SparkPlan, l: &RuntimeSide, r: &RuntimeSide) -> SparkPlan {
        let Op::SortMergeJoin(j) = &node.op else { return node };
        let local_map = self.conf.get_bytes("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold");
        let advisory = self.conf.get_bytes("spark.sql.adaptive.advisoryPartitionSizeInBytes");
        let prefers = |s: &RuntimeSide| s.direct && local_map > 0 && advisory <= local_map && s.sizes.iter().all(|x| (*x as i64) <= local_map);
        let jt = j.join_type;
        let hashable_left = matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::RightOuter);
        let hashable_right = matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti);
        let (pl, pr) = (prefers(l) && hashable_left, prefers(r) && hashable_right);
        let b = match (pl, pr) {
            (true, true) if r.data_size <= l.data_size => BuildSide::BuildRight,
            (true, _) => BuildSide::BuildLeft,
            (false, true) => BuildSide::BuildRight,
            (false, false) => return node,
        };
        let why = format!(
            "AQE re-plan: every partition of the {} side ≤ {} spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold → PREFER_SHUFFLE_HASH → shuffled hash join",
            if b == BuildSide::BuildLeft { "left" } else { "right" },
            bytes_to_string(local_map as u128)
        );
        self.decisions.push(AqeDecision { rule: "DynamicJoinSelection".into(), description: why.clone(), numbers: vec![("local_map_threshold".into(), local_map as f64)] });
        let SparkPlan { op, children, subqueries, stats } = node;
        let Op::SortMergeJoin(j) = op else { unreachable!("matched above") };
        let children: Vec<SparkPlan> = children.into_iter().map(strip_sort).collect();
        let decision = JoinDecision { strategy: "ShuffledHashJoin".into(), join_type: j.decision.join_type.clone(), build_side: Some(b), why };
        self.join_changes.push(JoinChange { before: j.decision.clone(), after: decision.clone(), skew: false, removed: false });
        let hj = HashJoinExec { left_keys: j.left_keys, right_keys: j.right_keys, join_type: j.join_type, build_side: b, condition: j.condition, null_aware: false, decision };
        SparkPlan { op: Op::ShuffledHashJoin(hj), children, subqueries, stats }
    }

    /// `OptimizeSkewedJoin` over sort-merge joins whose two shuffles just materialised.
    pub(super) fn optimize_skew_joins(&mut self, p: SparkPlan) -> SparkPlan {
        if !self.conf.get_bool("spark.sql.adaptive.skewJoin.enabled") {
            return p;
        }
        self.skew_walk(p, false)
    }

    fn skew_walk(&mut self, p: SparkPlan, needs_dist: bool) -> SparkPlan {
        if self.is_done(&p).is_some() {
            return p;
        }
        let child_needs = match &p.op {
            Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } => false,
            _ => needs_dist || requires_distribution(&p),
        };
        let SparkPlan { op, children, subqueries, stats } = p;
        let children: Vec<SparkPlan> = children.into_iter().map(|c| self.skew_walk(c, child_needs)).collect();
        let node = SparkPlan { op, children, subqueries, stats };
        match &node.op {
            Op::SortMergeJoin(j) if !j.skew && !needs_dist => self.split_skew(node),
            _ => node,
        }
    }

    /// The shuffle a sort-merge join child reads: `Sort` over a materialised hash exchange whose read
    /// nothing has decided yet.
    fn smj_input<'p>(&self, child: &'p SparkPlan) -> Option<&'p SparkPlan> {
        let ex = match &child.op {
            Op::Sort { global: false, .. } => child.children.first()?,
            _ => return None,
        };
        let id = self.is_done(ex)?;
        let target = match &ex.op {
            Op::ReusedExchange { reused, .. } => reused.as_ref(),
            _ => ex,
        };
        match &target.op {
            Op::ShuffleExchange { partitioning: Partitioning::Hash { .. }, origin: ShuffleOrigin::EnsureRequirements, .. } if !self.reads.contains_key(&id) => Some(ex),
            _ => None,
        }
    }

    fn split_skew(&mut self, node: SparkPlan) -> SparkPlan {
        let Op::SortMergeJoin(j) = &node.op else { return node };
        if node.children.len() != 2 {
            return node;
        }
        let (Some(lex), Some(rex)) = (self.smj_input(&node.children[0]), self.smj_input(&node.children[1])) else { return node };
        let (ls, rs) = (self.sizes(lex), self.sizes(rex));
        let (lb, rb) = (ls.bytes_by_partition(), rs.bytes_by_partition());
        let jt = j.join_type;
        let lmaps = |i: usize| ls.map_sizes(i);
        let rmaps = |i: usize| rs.map_sizes(i);
        let left = SkewSide { sizes: &lb, map_sizes: &lmaps, can_split: matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::LeftOuter | JoinType::LeftSemi | JoinType::LeftAnti) };
        let right = SkewSide { sizes: &rb, map_sizes: &rmaps, can_split: matches!(jt, JoinType::Inner | JoinType::Cross | JoinType::RightOuter) };
        let cc = aqe::CoalesceConf::from(self.conf, self.default_parallelism);
        let Some(sj) = aqe::optimize_skew_join(&left, &right, self.conf, &cc) else { return node };
        let (lid, rid) = (self.is_done(lex).unwrap_or_default(), self.is_done(rex).unwrap_or_default());
        self.read_bytes.insert(lid, aqe::spec_bytes(&sj.left, &lb, &lmaps));
        self.read_bytes.insert(rid, aqe::spec_bytes(&sj.right, &rb, &rmaps));
        self.read_specs.push((lid, sj.left.clone()));
        self.read_specs.push((rid, sj.right.clone()));
        let n = lb.len();
        self.decisions.extend(sj.decisions.iter().cloned());
        let SparkPlan { op, children, subqueries, stats } = node;
        let Op::SortMergeJoin(j) = op else { unreachable!("matched above") };
        let mut new_children = vec![];
        for (child, specs, id) in children.into_iter().zip([&sj.left, &sj.right]).zip([lid, rid]).map(|((c, s), id)| (c, s, id)) {
            let partitions = specs.len() as u32;
            self.reads.insert(id, partitions);
            let desc = aqe::read_description(specs, n);
            let SparkPlan { op: sort_op, children: sort_children, subqueries: sq, stats: st } = child;
            let ex = sort_children.into_iter().next().unwrap_or_else(|| SparkPlan::leaf(Op::OneRowRelation));
            let read = match desc {
                Some(desc) => SparkPlan { op: Op::AqeShuffleRead { desc, partitions }, stats: ex.stats.clone(), children: vec![ex], subqueries: vec![] },
                None => ex,
            };
            new_children.push(SparkPlan { op: sort_op, children: vec![read], subqueries: sq, stats: st });
        }
        let decision = j.decision.clone();
        self.join_changes.push(JoinChange { before: decision.clone(), after: decision.clone(), skew: true, removed: false });
        let smj = SortMergeJoinExec { skew: true, ..j };
        SparkPlan { op: Op::SortMergeJoin(smj), children: new_children, subqueries, stats }
    }

    /// `OptimizeShuffleWithLocalRead`: a broadcast's materialised shuffle input, and a broadcast hash
    /// join's materialised probe-side shuffle (when no operator above needs its partitioning), are read
    /// per map task.
    pub(super) fn local_reads(&mut self, p: SparkPlan) -> SparkPlan {
        if !self.conf.get_bool("spark.sql.adaptive.localShuffleReader.enabled") {
            return p;
        }
        self.local_walk(p, false)
    }

    fn local_walk(&mut self, p: SparkPlan, needs_dist: bool) -> SparkPlan {
        if self.is_done(&p).is_some() {
            return p;
        }
        if let Op::BroadcastExchange { plan_id, .. } = &p.op {
            if self.broadcasts.contains(&(self.exec, *plan_id)) {
                return p;
            }
        }
        let child_needs = match &p.op {
            Op::ShuffleExchange { .. } | Op::BroadcastExchange { .. } => false,
            _ => needs_dist || requires_distribution(&p),
        };
        let SparkPlan { op, children, subqueries, stats } = p;
        let probe = match &op {
            Op::BroadcastHashJoin(j) if !needs_dist => Some(match j.build_side {
                BuildSide::BuildRight => 0,
                BuildSide::BuildLeft => 1,
            }),
            _ => None,
        };
        let is_broadcast = matches!(op, Op::BroadcastExchange { .. });
        let children: Vec<SparkPlan> = children
            .into_iter()
            .enumerate()
            .map(|(i, c)| if is_broadcast || probe == Some(i) { self.local_read(c) } else { self.local_walk(c, child_needs) })
            .collect();
        SparkPlan { op, children, subqueries, stats }
    }

    fn local_read(&mut self, c: SparkPlan) -> SparkPlan {
        let Some(id) = self.is_done(&c) else { return self.local_walk(c, false) };
        let ex = match &c.op {
            Op::ReusedExchange { reused, .. } => reused.as_ref(),
            _ => &c,
        };
        let (reducers, supported) = match &ex.op {
            Op::ShuffleExchange { partitioning, origin, .. } => {
                (partitioning.num_partitions(), matches!(origin, ShuffleOrigin::EnsureRequirements | ShuffleOrigin::RebalancePartitionsByNone))
            }
            _ => (1, false),
        };
        if !supported {
            return c;
        }
        let mappers = ex.children.first().map(|m| num_partitions_with(m, &self.reads)).unwrap_or(1);
        let advisory = self.reads.get(&id).copied().filter(|n| *n < reducers);
        let partitions = aqe::local_read_partitions(mappers, reducers, advisory);
        let sizes = self.sizes(ex);
        let block = |m: usize, p: usize| sizes.block(m, p);
        let bytes = aqe::local_read_bytes(mappers as usize, reducers as usize, partitions as usize, &block);
        self.read_bytes.insert(id, bytes);
        self.decisions.push(AqeDecision {
            rule: "OptimizeShuffleWithLocalRead".into(),
            description: format!(
                "{mappers} map tasks, {reducers} reduce partitions, {} expected → {partitions} local read partitions (each reads its map task's output on the same executor)",
                advisory.map(|a| format!("{a} (the coalesced read)")).unwrap_or_else(|| reducers.to_string())
            ),
            numbers: vec![("mappers".into(), mappers as f64), ("reducers".into(), reducers as f64), ("partitions".into(), partitions as f64)],
        });
        self.reads.insert(id, partitions);
        let stats = c.stats.clone();
        SparkPlan { op: Op::AqeShuffleRead { desc: "local".into(), partitions }, children: vec![c], subqueries: vec![], stats }
    }
}
