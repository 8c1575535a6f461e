//! The `DAGScheduler` half of the simulation: submitting jobs when their dependencies end, submitting a
//! stage once its parents' map outputs are available (`submitStage` / `getMissingParentStages`), running
//! only missing partitions on later attempts, finishing stages and jobs, handling FetchFailed (fail the
//! stage attempt, resubmit after `RESUBMIT_TIMEOUT`, abort after `maxConsecutiveAttempts`), and failing
//! jobs. It knows stages and jobs; task placement and costs belong to `task_scheduler` and `cost`.

use super::cost;
use super::engine::{JobState, SimEvent, Simulation, StageState};
use super::event_queue::SimTime;
use super::model::{StageHint, StageKind};
use super::task_set_manager::{TaskSetId, TaskSetManager};
use crate::trace::{
    AdaptiveExecutionUpdate, Event, JobEnd, JobResult, JobStart, KillReason, StageCompleted, StageInfo, StageSubmitted,
    TaskEndReason,
};

impl<'a> Simulation<'a> {
    pub(crate) fn submit_job(&mut self, j: usize, now: SimTime) {
        if self.jobs[j].state != JobState::Pending {
            return;
        }
        self.jobs[j].state = JobState::Running;
        let spec = &self.plan.schedule.jobs[self.plan.jobs[j].spec];
        for u in &spec.aqe_before {
            self.emit(Event::AdaptiveExecutionUpdate(Box::new(AdaptiveExecutionUpdate {
                time: now,
                execution_id: u.execution_id,
                description: u.description.clone(),
                why: u.why.clone(),
            })));
        }
        let stages = self.plan.jobs[j]
            .stages
            .iter()
            .map(|&s| {
                let ss = self.plan.stage_spec(s);
                let ps = &self.plan.stages[s];
                StageInfo {
                    stage_id: ss.stage_id,
                    name: if ss.name.is_empty() { format!("stage {}", ss.stage_id) } else { ss.name.clone() },
                    kind: ss.kind,
                    num_tasks: ss.num_tasks,
                    parent_ids: ps.parents.iter().map(|&p| self.plan.stages[p].stage_id).collect(),
                    rdd_scopes: ss.rdd_scopes.clone(),
                    shuffle_id_written: ps.shuffle_written.map(|x| self.plan.shuffles[x].shuffle_id),
                    shuffle_ids_read: ps.shuffles_read.iter().map(|&x| self.plan.shuffles[x].shuffle_id).collect(),
                }
            })
            .collect();
        self.emit(Event::JobStart(Box::new(JobStart {
            time: now,
            job_id: self.plan.jobs[j].job_id,
            kind: spec.kind,
            sql_execution_id: spec.sql_execution_id,
            description: spec.description.clone(),
            stages,
        })));
        // Skipped stages whose shuffle this simulation never wrote: their output exists from before.
        for &s in &self.plan.jobs[j].stages {
            let ps = &self.plan.stages[s];
            if let (StageHint::Skipped, Some(sh)) = (ps.hint, ps.shuffle_written) {
                if !self.tracker.is_known(sh) && !self.tracker.has_active_writer(sh) {
                    self.tracker.register_virtual(sh);
                }
            }
        }
        let fin = self.plan.jobs[j].final_stage;
        if self.plan.stages[fin].kind == StageKind::ShuffleMap && self.stage_available(fin) {
            self.job_succeeded(j, now);
            return;
        }
        self.submit_stage(fin, now.saturating_add(cost::JOB_TO_STAGE_US));
    }

    /// Are a map stage's outputs all there for its children?
    pub(crate) fn stage_available(&self, s: usize) -> bool {
        let ps = &self.plan.stages[s];
        let Some(sh) = ps.shuffle_written else { return false };
        match ps.hint {
            StageHint::Run => self.stages[s].completed_once && self.tracker.is_complete(sh),
            StageHint::Skipped => self.tracker.is_complete(sh),
        }
    }

    /// Spark's `submitStage`: submit now if every parent is available, else submit the missing parents
    /// (unless already running) and wait.
    pub(crate) fn submit_stage(&mut self, s: usize, at: SimTime) {
        if matches!(
            self.stages[s].state,
            StageState::Waiting | StageState::Submitting | StageState::Running | StageState::Aborted
        ) {
            return;
        }
        if self.jobs[self.plan.stages[s].job].state != JobState::Running {
            return;
        }
        let missing: Vec<usize> =
            self.plan.stages[s].parents.iter().copied().filter(|&p| !self.stage_available(p)).collect();
        if missing.is_empty() {
            self.stages[s].state = StageState::Submitting;
            self.queue.push(at, SimEvent::SubmitStageAttempt(s as u32));
            return;
        }
        for p in missing {
            if matches!(self.stages[p].state, StageState::Waiting | StageState::Submitting | StageState::Running) {
                continue;
            }
            if let Some(sh) = self.plan.stages[p].shuffle_written {
                if self.tracker.has_active_writer(sh) {
                    continue; // another job's stage is writing this shuffle: wait for it
                }
            }
            self.submit_stage(p, at);
        }
        self.stages[s].state = StageState::Waiting;
        let key = self.stage_key(s);
        self.waiting.insert(key);
    }

    /// Re-examines every waiting stage (after a map stage finished).
    fn submit_waiting(&mut self, at: SimTime) {
        let keys: Vec<(u32, u32, usize)> = self.waiting.iter().copied().collect();
        for key in keys {
            let s = key.2;
            if self.stages[s].state != StageState::Waiting {
                self.waiting.remove(&key);
                continue;
            }
            let missing = self.plan.stages[s].parents.iter().any(|&p| !self.stage_available(p));
            let parents_busy = self.plan.stages[s].parents.iter().all(|&p| {
                self.stage_available(p)
                    || matches!(
                        self.stages[p].state,
                        StageState::Waiting | StageState::Submitting | StageState::Running
                    )
            });
            if missing && parents_busy {
                continue; // still waiting for running parents
            }
            self.waiting.remove(&key);
            self.stages[s].state = StageState::Idle;
            self.submit_stage(s, at);
        }
    }

    /// `submitMissingTasks`: a new attempt over the partitions still to compute.
    pub(crate) fn submit_stage_attempt(&mut self, s: usize, now: SimTime) {
        let job = self.plan.stages[s].job;
        if self.stages[s].state != StageState::Submitting || self.jobs[job].state != JobState::Running {
            return;
        }
        if self.plan.stages[s].parents.iter().any(|&p| !self.stage_available(p)) {
            // A parent lost outputs since this submission was scheduled.
            self.stages[s].state = StageState::Idle;
            self.submit_stage(s, now);
            return;
        }
        let plan = &self.plan;
        let ps = &plan.stages[s];
        let (n, kind, shuffle_written, stage_id) = (ps.num_tasks, ps.kind, ps.shuffle_written, ps.stage_id);
        let partitions: Vec<u32> = match (kind, shuffle_written) {
            _ if !self.stages[s].ever_submitted && ps.hint == StageHint::Run => (0..n).collect(),
            (StageKind::ShuffleMap, Some(sh)) => (0..n).filter(|&p| !self.tracker.has_output(sh, p)).collect(),
            _ => (0..n).filter(|&p| !self.stages[s].result_done[p as usize]).collect(),
        };
        let st = &mut self.stages[s];
        st.ever_submitted = true;
        let attempt = st.next_attempt;
        st.next_attempt = st.next_attempt.saturating_add(1);
        st.state = StageState::Running;
        st.current_attempt_failed = false;
        let job_id = self.plan.jobs[job].job_id;
        self.emit(Event::StageSubmitted(Box::new(StageSubmitted {
            time: now,
            stage_id,
            stage_attempt: attempt,
            job_id,
            num_tasks: partitions.len() as u32,
        })));
        if kind == StageKind::ShuffleMap {
            if let Some(sh) = shuffle_written {
                self.tracker.writer_started(sh);
            }
            let st = &mut self.stages[s];
            st.pending = vec![false; n as usize];
            for &p in &partitions {
                st.pending[p as usize] = true;
            }
            st.pending_count = partitions.len() as u32;
        }
        let spec = self.plan.stage_spec(s);
        let reads = &self.plan.stages[s].shuffles_read;
        let pref_execs = if reads.is_empty() { Vec::new() } else { self.tracker.preferred_executors(reads, n) };
        let is_pref: Vec<bool> =
            partitions.iter().map(|&p| !pref_execs.is_empty() && spec.work(p).shuffle_read_bytes > 0).collect();
        let empty = partitions.is_empty();
        let t = self.tsms.len() as u32;
        let id = TaskSetId { stage: s, job, job_id, stage_id, attempt };
        self.tsms.push(TaskSetManager::new(id, partitions, is_pref, pref_execs));
        self.stages[s].current_tsm = Some(t);
        if empty {
            self.tsms[t as usize].zombie = true;
            match self.plan.stages[s].kind {
                StageKind::ShuffleMap => self.map_stage_finished(s, now),
                StageKind::Result => self.result_stage_finished(s, now),
            }
            return;
        }
        self.queue.push(now.saturating_add(cost::STAGE_TO_LAUNCH_US), SimEvent::TaskSetReady(t));
    }

    fn stage_completed_event(&mut self, s: usize, failure: Option<String>, now: SimTime) {
        let attempt = self.stages[s].current_tsm.map(|t| self.tsms[t as usize].attempt).unwrap_or(0);
        let job_id = self.plan.jobs[self.plan.stages[s].job].job_id;
        self.emit(Event::StageCompleted(Box::new(StageCompleted {
            time: now,
            stage_id: self.plan.stages[s].stage_id,
            stage_attempt: attempt,
            job_id,
            failure_reason: failure,
        })));
    }

    /// Every partition of the running map stage attempt has an output.
    pub(crate) fn map_stage_finished(&mut self, s: usize, now: SimTime) {
        self.stage_completed_event(s, None, now);
        if let Some(t) = self.stages[s].current_tsm {
            self.tsms[t as usize].zombie = true;
            self.retire_if_done(t);
        }
        let sh = self.plan.stages[s].shuffle_written;
        if let Some(sh) = sh {
            self.tracker.writer_stopped(sh);
        }
        self.stages[s].consecutive_failures = 0;
        if sh.is_some_and(|sh| self.tracker.missing(sh) > 0) {
            // Outputs were lost while it ran: run the missing partitions again.
            self.stages[s].state = StageState::Idle;
            self.submit_stage(s, now);
            return;
        }
        self.stages[s].state = StageState::Done;
        self.stages[s].completed_once = true;
        let job = self.plan.stages[s].job;
        if self.plan.jobs[job].final_stage == s && self.jobs[job].state == JobState::Running {
            self.job_succeeded(job, now);
        }
        self.submit_waiting(now.saturating_add(cost::STAGE_HANDOFF_US));
    }

    /// Every partition of the result stage has its result.
    pub(crate) fn result_stage_finished(&mut self, s: usize, now: SimTime) {
        if self.stages[s].state == StageState::Running {
            self.stage_completed_event(s, None, now);
        }
        if let Some(t) = self.stages[s].current_tsm {
            self.tsms[t as usize].zombie = true;
        }
        self.stages[s].state = StageState::Done;
        self.stages[s].completed_once = true;
        let job = self.plan.stages[s].job;
        if self.jobs[job].state == JobState::Running {
            self.job_succeeded(job, now);
        }
    }

    /// Ends a job: stages still running are cancelled (their attempt fails with `reason`), tasks still
    /// running are killed, stages still waiting are forgotten.
    fn end_job(&mut self, j: usize, result: JobResult, now: SimTime) {
        let cancel = match &result {
            JobResult::JobSucceeded => "Stage cancelled because its job finished".to_string(),
            JobResult::JobFailed { reason } => format!("Job aborted: {reason}"),
        };
        let aborted = matches!(result, JobResult::JobFailed { .. });
        for s in self.plan.jobs[j].stages.clone() {
            if self.stages[s].state == StageState::Running {
                if !self.stages[s].current_attempt_failed {
                    self.stage_completed_event(s, Some(cancel.clone()), now);
                }
                if let Some(sh) = self.plan.stages[s].shuffle_written {
                    self.tracker.writer_stopped(sh);
                }
            }
            if let Some(t) = self.stages[s].current_tsm {
                self.tsms[t as usize].zombie = true; // also one not yet ready to launch
            }
            let st = &mut self.stages[s];
            if aborted {
                st.state = StageState::Aborted;
            } else if matches!(st.state, StageState::Waiting | StageState::Submitting | StageState::Running) {
                st.state = StageState::Idle;
            }
        }
        self.cancel_job_tasks(j, now);
        let job_id = self.plan.jobs[j].job_id;
        self.waiting.retain(|k| k.0 != job_id);
        self.failed.retain(|k| k.0 != job_id);
        self.emit(Event::JobEnd(Box::new(JobEnd { time: now, job_id, result })));
    }

    pub(crate) fn job_succeeded(&mut self, j: usize, now: SimTime) {
        self.jobs[j].state = JobState::Succeeded;
        self.end_job(j, JobResult::JobSucceeded, now);
        let spec = &self.plan.schedule.jobs[self.plan.jobs[j].spec];
        for u in &spec.aqe_after {
            self.emit(Event::AdaptiveExecutionUpdate(Box::new(AdaptiveExecutionUpdate {
                time: now,
                execution_id: u.execution_id,
                description: u.description.clone(),
                why: u.why.clone(),
            })));
        }
        for d in self.plan.jobs[j].dependents.clone() {
            let dj = &mut self.jobs[d];
            dj.deps_left -= 1;
            if dj.deps_left == 0 && dj.state == JobState::Pending {
                self.queue.push(now.saturating_add(self.plan.jobs[d].submit_delay_us), SimEvent::SubmitJob(d as u32));
            }
        }
    }

    /// Aborts a job: its running stages fail, its tasks are killed, jobs waiting for it never run.
    pub(crate) fn job_failed(&mut self, j: usize, reason: String, now: SimTime) {
        if self.jobs[j].state != JobState::Running {
            return;
        }
        self.jobs[j].state = JobState::Failed;
        self.end_job(j, JobResult::JobFailed { reason }, now);
        let mut stack = self.plan.jobs[j].dependents.clone();
        while let Some(d) = stack.pop() {
            if self.jobs[d].state == JobState::Pending {
                self.jobs[d].state = JobState::NotRun;
                stack.extend(self.plan.jobs[d].dependents.iter().copied());
            }
        }
    }

    fn cancel_job_tasks(&mut self, j: usize, now: SimTime) {
        let sets: Vec<u32> = self.active.iter().copied().filter(|&t| self.tsms[t as usize].job == j).collect();
        let mut freed = false;
        for t in sets {
            self.tsms[t as usize].zombie = true;
            let running = self.tsms[t as usize].running.clone();
            for id in running {
                self.finish_attempt(id, now, TaskEndReason::TaskKilled { reason: KillReason::StageCancelled }, false);
                freed = true;
            }
            self.retire_if_done(t);
        }
        if freed {
            self.make_offers(None, now);
        }
    }

    /// A task of task set `t` could not fetch a map output of `shuffle` (lost with `executor`).
    pub(crate) fn fetch_failed(&mut self, t: u32, shuffle_id: u32, executor: u32, now: SimTime) {
        self.tsms[t as usize].zombie = true;
        let (s, job) = (self.tsms[t as usize].stage, self.tsms[t as usize].job);
        let st = &self.stages[s];
        if self.jobs[job].state != JobState::Running
            || st.current_tsm != Some(t)
            || st.current_attempt_failed
            || st.state != StageState::Running
        {
            return; // an older attempt, or already failed
        }
        self.stages[s].current_attempt_failed = true;
        let stage_id = self.plan.stages[s].stage_id;
        let why = format!("FetchFailed(BlockManagerId({executor}), shuffleId={shuffle_id})");
        self.stage_completed_event(s, Some(why.clone()), now);
        if let Some(sh) = self.plan.stages[s].shuffle_written {
            self.tracker.writer_stopped(sh);
        }
        self.stages[s].state = StageState::Idle;
        self.stages[s].consecutive_failures += 1;
        if self.stages[s].consecutive_failures >= self.cfg.max_stage_attempts {
            let reason = format!(
                "Stage {stage_id} has failed the maximum allowable number of times: {}. Most recent failure reason: {why}",
                self.cfg.max_stage_attempts
            );
            self.job_failed(job, reason, now);
            return;
        }
        let key = self.stage_key(s);
        self.failed.insert(key);
        if !self.resubmit_scheduled {
            self.resubmit_scheduled = true;
            self.queue.push(now.saturating_add(cost::RESUBMIT_TIMEOUT_US), SimEvent::ResubmitFailedStages);
        }
    }

    /// `ResubmitFailedStages`: resubmit in (job, stage) order; missing parents run first.
    pub(crate) fn resubmit_failed_stages(&mut self, now: SimTime) {
        self.resubmit_scheduled = false;
        let keys: Vec<(u32, u32, usize)> = std::mem::take(&mut self.failed).into_iter().collect();
        for (_, _, s) in keys {
            if self.stages[s].state == StageState::Idle {
                self.submit_stage(s, now);
            }
        }
    }
}
