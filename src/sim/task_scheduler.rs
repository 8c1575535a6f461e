//! The `TaskScheduler` half of the simulation: worker offers (free slots, shuffled like Spark's
//! `resourceOffers`, then round-robin one task per executor per pass over task sets in FIFO or FAIR
//! order), launching a task (asking `cost` for its phases and deciding its outcome), task ends (success,
//! failure and retry, kills of redundant copies), the speculation check every `spark.speculation.interval`,
//! and executor loss. Stage and job consequences go to `dag_scheduler`.

use super::cost::{self, CacheRead, LaunchContext, TaskTiming};
use super::engine::{Attempt, JobState, SimEvent, Simulation, StageState, NOT_COMPILED};
use super::event_queue::{SimTime, MS};
use super::model::{StageKind, TaskWork};
use super::validate::MAX_TASK_ATTEMPTS;
use crate::trace::{
    Event, ExecutorRemoved, KillReason, Locality, ShuffleReadMetrics, ShuffleWriteMetrics, SpeculativeTaskSubmitted,
    TaskEnd, TaskEndReason, TaskMetrics, TaskRecord, TaskStart,
};

fn ms32(us: SimTime) -> u32 {
    (us / 1000).min(u32::MAX as u64) as u32
}

impl<'a> Simulation<'a> {
    pub(crate) fn task_set_ready(&mut self, t: u32, now: SimTime) {
        if self.tsms[t as usize].zombie {
            return;
        }
        if self.cfg.warmup {
            // A fresh driver is slow to launch its first tasks: every task set ready before then waits.
            let gate = *self.launch_gate.get_or_insert(now.saturating_add(cost::COLD_FIRST_LAUNCH_US));
            if now < gate {
                self.queue.push(gate, SimEvent::TaskSetReady(t));
                return;
            }
        }
        let key = |ts: &super::task_set_manager::TaskSetManager| (ts.job_id, ts.stage_id, ts.attempt);
        let k = key(&self.tsms[t as usize]);
        let pos = self.active.partition_point(|&x| key(&self.tsms[x as usize]) < k);
        self.active.insert(pos, t);
        self.make_offers(None, now);
    }

    pub(crate) fn retire_if_done(&mut self, t: u32) {
        if self.tsms[t as usize].is_done() {
            if let Some(i) = self.active.iter().position(|&x| x == t) {
                self.active.remove(i);
            }
        }
    }

    /// Offers free slots (of one executor, or all) to the task sets in scheduling order.
    pub(crate) fn make_offers(&mut self, only: Option<u32>, now: SimTime) {
        if self.active.is_empty() || self.attempt_limit_hit {
            return;
        }
        let mut offers = std::mem::take(&mut self.offer_buf);
        offers.clear();
        match only {
            Some(e) => {
                if self.executors[e as usize].free_slots() > 0 {
                    offers.push(e);
                }
            }
            None => {
                offers.extend((0..self.executors.len() as u32).filter(|&e| self.executors[e as usize].free_slots() > 0))
            }
        }
        if offers.len() > 1 {
            self.rng.shuffle(&mut offers);
        }
        // FIFO: `active` is already in order (launching never reorders it). FAIR: each job is a pool of
        // weight 1 and minShare 0, so the job running the fewest tasks goes first, then job id.
        let mut order = std::mem::take(&mut self.order_buf);
        order.clear();
        if self.cfg.fair {
            order.extend_from_slice(&self.active);
            let jobs = &self.jobs;
            let tsms = &self.tsms;
            crate::sort::sort_by_key(&mut order, |&t| {
                let ts = &tsms[t as usize];
                (jobs[ts.job].running_tasks, ts.job_id, ts.stage_id, ts.attempt)
            });
        }
        let sets = if self.cfg.fair { order.len() } else { self.active.len() };
        if !offers.is_empty() {
            // By index: launching borrows `self` mutably (it never reorders `active`).
            'sets: for k in 0..sets {
                let t = if self.cfg.fair { order.get(k).copied() } else { self.active.get(k).copied() };
                let Some(t) = t else { break };
                loop {
                    let mut launched = false;
                    let mut free_left = false;
                    for &e in &offers {
                        if self.executors[e as usize].free_slots() == 0 {
                            continue;
                        }
                        if let Some((idx, loc, spec)) = self.tsms[t as usize].dequeue(e) {
                            self.launch(t, idx, e, loc, spec, now);
                            launched = true;
                            if self.attempt_limit_hit {
                                break 'sets;
                            }
                        }
                        free_left |= self.executors[e as usize].free_slots() > 0;
                    }
                    if !launched {
                        break;
                    }
                    if !free_left {
                        break 'sets;
                    }
                }
            }
        }
        self.offer_buf = offers;
        self.order_buf = order;
    }

    fn launch(&mut self, t: u32, idx: u32, e: u32, locality: Locality, speculative: bool, now: SimTime) {
        if self.trace.tasks.len() as u64 >= MAX_TASK_ATTEMPTS {
            self.attempt_limit_hit = true;
            self.tsms[t as usize].requeue(idx);
            return;
        }
        let id = self.trace.tasks.len() as u32;
        let s = self.tsms[t as usize].stage;
        let p = self.tsms[t as usize].partitions[idx as usize];
        let (stage_id, stage_attempt, job) =
            (self.tsms[t as usize].stage_id, self.tsms[t as usize].attempt, self.tsms[t as usize].job);
        let spec = self.plan.stage_spec(s);
        let work: &TaskWork = spec.work(p);
        let Some(slot) = self.executors[e as usize].take_slot() else { return };
        let (attempt_no, pos) = self.tsms[t as usize].launched(idx, e, id);

        let mut r = self.rng.stream(&[stage_id as u64, stage_attempt as u64, p as u64, attempt_no as u64]);
        let jitter = r.jitter_permille(self.cfg.jitter_pct);
        let overhead_jitter = r.jitter_permille(self.cfg.jitter_pct);
        let ex = &self.executors[e as usize];
        let n_exec = self.executors.len();
        let st = &mut self.stages[s];
        if st.compile_ready.is_empty() {
            st.compile_ready = vec![NOT_COMPILED; n_exec];
        }
        let first_of_stage = st.compile_ready[e as usize] == NOT_COMPILED;
        let ctx = LaunchContext {
            // Fresh JVM: the executor's first tasks, launched before any task finished on it (corpus: both
            // first-wave tasks are slow, the first task of a later job is not).
            cold_executor: ex.launched < ex.slots() as u64 && ex.busy_us == 0,
            first_of_stage,
            executor_busy_us: ex.busy_us,
            jvm_warmup: self.cfg.warmup,
            slow_pct: ex.slow_pct,
            jitter_permille: jitter,
            overhead_jitter_permille: overhead_jitter,
            memory_share: self.memory.per_task_share(ex.storage_used),
            codegen_clusters: spec.codegen_count(),
            executor_tasks_launched: ex.launched,
        };
        let (pre, deser, post) = cost::launch_overheads(&ctx);
        let run_start = now.saturating_add(pre + deser);
        let codegen = st.codegen_us * ex.slow_pct as u64 / 100;
        let compile_us = if first_of_stage {
            st.compile_ready[e as usize] = run_start.saturating_add(codegen);
            codegen
        } else {
            st.compile_ready[e as usize].saturating_sub(run_start)
        };

        let ps = &self.plan.stages[s];
        let fetch = self.tracker.fetch(&ps.shuffles_read, work.shuffle_read_bytes, e);
        let cache = match &work.cache {
            None => CacheRead::NoCache,
            Some(c) => match self.blocks.get(&(c.rdd_id, p)) {
                Some(&(be, _)) if self.executors[be as usize].alive => {
                    if be == e {
                        CacheRead::Local
                    } else {
                        CacheRead::Remote
                    }
                }
                _ => CacheRead::Miss,
            },
        };
        let compute_ns = work.compute_ns.unwrap_or_else(|| {
            ps.op_cost.compute_ns(
                work.input_records.saturating_add(work.shuffle_read_records),
                work.input_bytes,
                work.output_records,
            )
        });
        let mut timing = cost::run_phases(work, compute_ns, fetch, cache, &ctx, ps.kind == StageKind::Result);
        timing.sched_pre_us = pre;
        timing.deserialize_us = deser;
        timing.sched_post_us = post;
        timing.compile_us = compile_us;

        // Outcome: a missing map output fails fast (metadata fetch); an injected failure part-way; else success.
        let missing = ps.shuffles_read.iter().copied().find(|&sh| self.tracker.missing(sh) > 0);
        let (end, outcome) = if let Some(sh) = missing {
            let reason = TaskEndReason::FetchFailed {
                shuffle_id: self.plan.shuffles[sh].shuffle_id,
                executor_id: self.tracker.lost_from(sh),
            };
            (run_start.saturating_add(MS), reason)
        } else if r.chance(self.cfg.failure_per_billion) {
            let frac = 100 + r.below(801);
            (run_start.saturating_add(timing.run_us() * frac / 1000), TaskEndReason::ExceptionFailure)
        } else {
            (now.saturating_add(timing.duration_us()), TaskEndReason::Success)
        };
        let locality = if cache == CacheRead::Local { Locality::ProcessLocal } else { locality };

        self.emit(Event::TaskStart(TaskStart {
            time: now,
            task_id: id,
            stage_id,
            stage_attempt,
            partition: p,
            attempt: attempt_no,
            executor_id: e,
            slot,
            speculative,
            locality,
        }));
        self.trace.tasks.push(TaskRecord {
            task_id: id,
            stage_id,
            stage_attempt,
            partition: p,
            attempt: attempt_no,
            executor_id: e,
            slot,
            speculative,
            locality,
            launch_time: now,
            finish_time: end,
            reason: outcome,
            metrics: metrics_of(&timing, work, fetch),
        });
        self.attempts.push(Attempt {
            tsm: t,
            index: idx,
            executor: e,
            slot,
            running: true,
            end,
            outcome,
            run_start,
            fetch_done: run_start.saturating_add(timing.compile_us + timing.fetch_wait_us),
            pos,
        });
        self.executors[e as usize].launched += 1;
        self.jobs[job].running_tasks += 1;
        self.queue.push(end, SimEvent::TaskEnd(id));
        if self.cfg.speculation {
            if let Some(th) = self.threshold(t as usize) {
                self.arm_speculation(now.saturating_add(th).saturating_add(1));
            }
        }
    }

    fn threshold(&self, t: usize) -> Option<SimTime> {
        self.tsms[t].speculation_threshold(
            self.cfg.spec_quantile_permille,
            self.cfg.spec_multiplier_permille,
            self.cfg.spec_min_us,
        )
    }

    /// Schedules a speculation check at the first `spark.speculation.interval` boundary at or after `due`,
    /// unless one is already due earlier. Checks happen on Spark's 100 ms grid, but only when a running
    /// task could have crossed its threshold, so long tasks do not cost one event per interval.
    fn arm_speculation(&mut self, due: SimTime) {
        let iv = self.cfg.spec_interval_us;
        let at = due.div_ceil(iv).saturating_mul(iv);
        if self.tick_at.is_none_or(|t| at < t) {
            self.tick_at = Some(at);
            self.queue.push(at, SimEvent::SpeculationTick);
        }
    }

    /// Ends a running attempt with `reason` at `now` (its planned end, a kill, or its executor's loss).
    pub(crate) fn finish_attempt(&mut self, id: u32, now: SimTime, reason: TaskEndReason, offer: bool) {
        let a = self.attempts[id as usize];
        if !a.running {
            return;
        }
        self.attempts[id as usize].running = false;
        let ex = &mut self.executors[a.executor as usize];
        ex.release_slot(a.slot);
        ex.busy_us = ex.busy_us.saturating_add(now.saturating_sub(a.run_start));
        let t = a.tsm as usize;
        let job = self.tsms[t].job;
        self.jobs[job].running_tasks = self.jobs[job].running_tasks.saturating_sub(1);
        if let Some(moved) = self.tsms[t].ended(a.index, a.pos) {
            self.attempts[moved as usize].pos = a.pos;
        }
        let rec = &mut self.trace.tasks[id as usize];
        rec.finish_time = now;
        rec.reason = reason;
        if !reason.is_success() {
            truncate_metrics(rec, a.run_start, now);
        }
        let ev = TaskEnd {
            time: now,
            task_id: id,
            stage_id: rec.stage_id,
            stage_attempt: rec.stage_attempt,
            partition: rec.partition,
            executor_id: a.executor,
            slot: a.slot,
            reason,
        };
        let (launch, partition, stage_id, stage_attempt) =
            (rec.launch_time, rec.partition, rec.stage_id, rec.stage_attempt);
        self.emit(Event::TaskEnd(ev));
        match reason {
            TaskEndReason::Success => self.task_succeeded(a, now - launch, now),
            TaskEndReason::ExceptionFailure => {
                let ts = &mut self.tsms[t];
                ts.failures[a.index as usize] += 1;
                if ts.failures[a.index as usize] >= self.cfg.max_failures {
                    let reason = format!(
                        "Task {partition} in stage {stage_id}.{stage_attempt} failed {} times; most recent failure: ExceptionFailure",
                        self.cfg.max_failures
                    );
                    self.job_failed(job, reason, now);
                } else {
                    ts.requeue(a.index);
                }
            }
            TaskEndReason::ExecutorLostFailure { .. } => self.tsms[t].requeue(a.index),
            TaskEndReason::FetchFailed { shuffle_id, executor_id } => {
                self.fetch_failed(a.tsm, shuffle_id, executor_id, now)
            }
            TaskEndReason::TaskKilled { .. } => {}
        }
        self.retire_if_done(a.tsm);
        if offer && self.executors[a.executor as usize].alive {
            self.make_offers(Some(a.executor), now);
        }
    }

    fn task_succeeded(&mut self, a: Attempt, duration: SimTime, now: SimTime) {
        let t = a.tsm as usize;
        self.tsms[t].succeeded(a.index, duration, self.cfg.speculation);
        if self.cfg.speculation && self.threshold(t).is_some() {
            // The median moved (or the quantile was just reached): check at the next boundary.
            self.arm_speculation(now.saturating_add(1));
        }
        if self.tsms[t].copies_running[a.index as usize] > 0 {
            let others: Vec<u32> =
                self.tsms[t].running.iter().copied().filter(|&o| self.attempts[o as usize].index == a.index).collect();
            for o in others {
                let reason = TaskEndReason::TaskKilled { reason: KillReason::AnotherAttemptSucceeded };
                self.finish_attempt(o, now, reason, true);
            }
        }
        let s = self.tsms[t].stage;
        let p = self.tsms[t].partitions[a.index as usize];
        let work = self.plan.stage_spec(s).work(p);
        if let Some(c) = &work.cache {
            let key = (c.rdd_id, p);
            let present = self.blocks.get(&key).is_some_and(|&(be, _)| self.executors[be as usize].alive);
            if !present {
                self.blocks.insert(key, (a.executor, c.block_bytes));
                self.executors[a.executor as usize].storage_used =
                    self.executors[a.executor as usize].storage_used.saturating_add(c.block_bytes);
            }
        }
        // The partition is done for the stage's current attempt too, whichever attempt computed it.
        if let Some(cur) = self.stages[s].current_tsm {
            if cur as usize != t {
                if let Some(i) = self.tsms[cur as usize].index_of(p) {
                    self.tsms[cur as usize].succeeded(i, duration, false);
                    self.retire_if_done(cur);
                }
            }
        }
        let job = self.plan.stages[s].job;
        match (self.plan.stages[s].kind, self.plan.stages[s].shuffle_written) {
            (StageKind::ShuffleMap, Some(sh)) => {
                self.tracker.register(sh, p, a.executor, work.shuffle_write_bytes > 0);
                let st = &mut self.stages[s];
                if st.pending.get(p as usize).copied().unwrap_or(false) {
                    st.pending[p as usize] = false;
                    st.pending_count -= 1;
                }
                if st.state == StageState::Running && st.pending_count == 0 {
                    self.map_stage_finished(s, now);
                }
            }
            _ => {
                let st = &mut self.stages[s];
                if !st.result_done[p as usize] {
                    st.result_done[p as usize] = true;
                    st.result_remaining -= 1;
                    if st.result_remaining == 0 && self.jobs[job].state == JobState::Running {
                        self.result_stage_finished(s, now);
                    }
                }
            }
        }
    }

    /// `checkSpeculatableTasks` over every active task set, then offers if anything became speculatable;
    /// re-arms for the earliest moment another running task could cross its threshold.
    pub(crate) fn speculation_tick(&mut self, now: SimTime) {
        if self.tick_at != Some(now) {
            return; // superseded by an earlier check
        }
        self.tick_at = None;
        if self.active.is_empty() || self.alive_executors == 0 {
            return;
        }
        let mut found = false;
        let mut next_due: Option<SimTime> = None;
        for k in 0..self.active.len() {
            let t = self.active[k] as usize;
            let Some(threshold) = self.threshold(t) else { continue };
            for r in 0..self.tsms[t].running.len() {
                let id = self.tsms[t].running[r];
                let idx = self.attempts[id as usize].index;
                if !self.tsms[t].speculation_candidate(idx) {
                    continue;
                }
                let launched = self.trace.tasks[id as usize].launch_time;
                if now - launched > threshold {
                    self.tsms[t].mark_speculatable(idx);
                    let ts = &self.tsms[t];
                    let ev = SpeculativeTaskSubmitted {
                        time: now,
                        stage_id: ts.stage_id,
                        stage_attempt: ts.attempt,
                        partition: ts.partitions[idx as usize],
                    };
                    self.emit(Event::SpeculativeTaskSubmitted(ev));
                    found = true;
                } else {
                    let due = launched.saturating_add(threshold).saturating_add(1);
                    next_due = Some(next_due.map_or(due, |d: SimTime| d.min(due)));
                }
            }
        }
        if found {
            self.make_offers(None, now);
        }
        if let Some(due) = next_due {
            self.arm_speculation(due.max(now.saturating_add(1)));
        }
    }

    /// The executor dies: its tasks fail, its map outputs and cached blocks are gone, reducers still
    /// fetching from it give up after the fetch retries.
    pub(crate) fn executor_lost(&mut self, e: u32, now: SimTime) {
        if !self.executors[e as usize].alive || !self.work_remains() {
            return;
        }
        self.executors[e as usize].kill();
        self.alive_executors -= 1;
        let reason = "Executor killed (scenario option kill_executor)".to_string();
        self.emit(Event::ExecutorRemoved(Box::new(ExecutorRemoved { time: now, executor_id: e, reason })));
        let on_e: Vec<u32> = self
            .active
            .iter()
            .flat_map(|&t| self.tsms[t as usize].running.iter().copied())
            .filter(|&id| self.attempts[id as usize].executor == e)
            .collect();
        for id in on_e {
            self.finish_attempt(id, now, TaskEndReason::ExecutorLostFailure { executor_id: e }, false);
        }
        let lost = self.tracker.remove_executor(e);
        for (sh, maps) in &lost {
            // Running map stages writing this shuffle recompute the lost partitions in the same attempt.
            for s in 0..self.stages.len() {
                if self.stages[s].state != StageState::Running || self.plan.stages[s].shuffle_written != Some(*sh) {
                    continue;
                }
                let Some(cur) = self.stages[s].current_tsm else { continue };
                for &m in maps {
                    if let Some(i) = self.tsms[cur as usize].index_of(m) {
                        let st = &mut self.stages[s];
                        if !st.pending[m as usize] {
                            st.pending[m as usize] = true;
                            st.pending_count += 1;
                        }
                        self.tsms[cur as usize].unsucceed(i);
                    }
                }
            }
        }
        self.blocks.retain(|_, (be, _)| *be != e);
        // Reducers still fetching from the dead executor fail with FetchFailed once their retries run out.
        let lost_shuffles: Vec<usize> = lost.iter().map(|(sh, _)| *sh).collect();
        if !lost_shuffles.is_empty() {
            let detect = now.saturating_add(self.cfg.fetch_detect_us);
            for k in 0..self.active.len() {
                let t = self.active[k] as usize;
                let s = self.tsms[t].stage;
                let Some(&sh) = self.plan.stages[s].shuffles_read.iter().find(|x| lost_shuffles.contains(x)) else {
                    continue;
                };
                let spec = self.plan.stage_spec(s);
                for r in 0..self.tsms[t].running.len() {
                    let id = self.tsms[t].running[r] as usize;
                    let a = self.attempts[id];
                    let p = self.tsms[t].partitions[a.index as usize];
                    let fetching = a.fetch_done > now && spec.work(p).shuffle_read_bytes > 0;
                    if fetching && !matches!(a.outcome, TaskEndReason::FetchFailed { .. }) {
                        self.attempts[id].end = detect;
                        self.attempts[id].outcome = TaskEndReason::FetchFailed {
                            shuffle_id: self.plan.shuffles[sh].shuffle_id,
                            executor_id: e,
                        };
                        self.queue.push(detect, SimEvent::TaskEnd(id as u32));
                    }
                }
            }
        }
        self.make_offers(None, now);
    }
}

/// The metrics a task attempt reports if it runs to the end.
fn metrics_of(t: &TaskTiming, w: &TaskWork, f: cost::ShuffleFetch) -> TaskMetrics {
    let deser = ms32(t.deserialize_us);
    let run = ms32(t.run_us());
    let ser = ms32(t.result_ser_us);
    let get = ms32(t.getting_result_us);
    let dur = ms32(t.duration_us());
    TaskMetrics {
        executor_deserialize_time: deser,
        executor_run_time: run,
        result_size: t.result_size,
        jvm_gc_time: ms32(t.gc_us),
        result_serialization_time: ser,
        getting_result_time: get,
        scheduler_delay: dur.saturating_sub(deser.saturating_add(run).saturating_add(ser).saturating_add(get)),
        memory_bytes_spilled: t.spill.memory_bytes_spilled,
        disk_bytes_spilled: t.spill.disk_bytes_spilled,
        peak_execution_memory: t.spill.peak_execution_memory,
        input_bytes: t.input_bytes,
        input_records: t.input_records,
        output_bytes: w.output_bytes,
        output_records: w.output_records,
        shuffle_read: ShuffleReadMetrics {
            remote_blocks_fetched: f.remote_blocks,
            local_blocks_fetched: f.local_blocks,
            remote_bytes_read: f.remote_bytes,
            local_bytes_read: f.local_bytes,
            records_read: w.shuffle_read_records,
            fetch_wait_time: ms32(t.fetch_wait_us),
        },
        shuffle_write: ShuffleWriteMetrics {
            bytes_written: w.shuffle_write_bytes,
            records_written: w.shuffle_write_records,
            write_time: t.shuffle_write_time_ns,
        },
    }
}

/// A failed or killed attempt reports the time it spent and no data: its outputs were discarded.
fn truncate_metrics(rec: &mut TaskRecord, run_start: SimTime, end: SimTime) {
    let m = &mut rec.metrics;
    let dur = ms32(end.saturating_sub(rec.launch_time));
    let run = ms32(end.saturating_sub(run_start));
    let deser = m.executor_deserialize_time.min(dur);
    *m = TaskMetrics {
        executor_deserialize_time: deser,
        executor_run_time: run.min(m.executor_run_time),
        jvm_gc_time: m.jvm_gc_time.min(run),
        scheduler_delay: dur.saturating_sub(deser.saturating_add(run.min(m.executor_run_time))),
        ..TaskMetrics::default()
    };
}
