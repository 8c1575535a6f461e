//! Convenience constructors for schedules, for the planner bridge and tests:
//! `Schedule::new(cluster, jobs)`, `JobSpec::new(id, kind, stages).after(&[..])`,
//! `StageSpec::map(id, n, shuffle).parents(&[..]).uniform(work)`, `TaskWork::scan(..)`.
//! They only fill the plain structs of `model`; nothing here simulates.

use super::model::*;

impl Schedule {
    pub fn new(cluster: ClusterSpec, jobs: Vec<JobSpec>) -> Schedule {
        Schedule { jobs, cluster, options: SimConfig::default() }
    }
    pub fn with_options(mut self, options: SimConfig) -> Schedule {
        self.options = options;
        self
    }
}

impl ClusterSpec {
    pub fn new(executors: u32, cores_per_executor: u32) -> ClusterSpec {
        ClusterSpec { executors, cores_per_executor, ..ClusterSpec::default() }
    }
}

impl JobSpec {
    pub fn new(job_id: u32, kind: JobKind, stages: Vec<StageSpec>) -> JobSpec {
        JobSpec {
            job_id,
            kind,
            sql_execution_id: None,
            description: String::new(),
            after_jobs: Vec::new(),
            submit_delay_ms: None,
            aqe_before: Vec::new(),
            aqe_after: Vec::new(),
            stages,
        }
    }
    pub fn after(mut self, jobs: &[u32]) -> JobSpec {
        self.after_jobs = jobs.to_vec();
        self
    }
    pub fn delay_ms(mut self, ms: u64) -> JobSpec {
        self.submit_delay_ms = Some(ms);
        self
    }
}

impl StageSpec {
    fn new(stage_id: u32, kind: StageKind, num_tasks: u32) -> StageSpec {
        StageSpec {
            stage_id,
            kind,
            name: String::new(),
            num_tasks,
            parent_ids: Vec::new(),
            status_hint: StageHint::Run,
            rdd_scopes: Vec::new(),
            operators: Vec::new(),
            codegen_clusters: None,
            shuffle_id_written: None,
            shuffle_ids_read: Vec::new(),
            tasks: Vec::new(),
        }
    }
    /// A shuffle map stage writing `shuffle_id`.
    pub fn map(stage_id: u32, num_tasks: u32, shuffle_id: u32) -> StageSpec {
        StageSpec { shuffle_id_written: Some(shuffle_id), ..StageSpec::new(stage_id, StageKind::ShuffleMap, num_tasks) }
    }
    pub fn result(stage_id: u32, num_tasks: u32) -> StageSpec {
        StageSpec::new(stage_id, StageKind::Result, num_tasks)
    }
    pub fn parents(mut self, ids: &[u32]) -> StageSpec {
        self.parent_ids = ids.to_vec();
        self
    }
    pub fn skipped(mut self) -> StageSpec {
        self.status_hint = StageHint::Skipped;
        self
    }
    pub fn operators(mut self, ops: &[&str]) -> StageSpec {
        self.operators = ops.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn codegen(mut self, clusters: u32) -> StageSpec {
        self.codegen_clusters = Some(clusters);
        self
    }
    /// The same work for every partition.
    pub fn uniform(mut self, work: TaskWork) -> StageSpec {
        self.tasks = vec![work];
        self
    }
    /// Per-partition work (partition numbers are set from the order).
    pub fn tasks(mut self, mut tasks: Vec<TaskWork>) -> StageSpec {
        for (i, t) in tasks.iter_mut().enumerate() {
            t.partition = i as u32;
        }
        self.tasks = tasks;
        self
    }
}

impl TaskWork {
    /// A task doing `compute_ms` of warm CPU work and nothing else.
    pub fn cpu_ms(compute_ms: u64) -> TaskWork {
        TaskWork { compute_ns: Some(compute_ms * 1_000_000), ..TaskWork::default() }
    }
    pub fn input(mut self, bytes: u64, records: u64) -> TaskWork {
        self.input_bytes = bytes;
        self.input_records = records;
        self
    }
    pub fn shuffle_read(mut self, bytes: u64, records: u64) -> TaskWork {
        self.shuffle_read_bytes = bytes;
        self.shuffle_read_records = records;
        self
    }
    pub fn shuffle_write(mut self, bytes: u64, records: u64) -> TaskWork {
        self.shuffle_write_bytes = bytes;
        self.shuffle_write_records = records;
        self
    }
    pub fn memory(mut self, bytes: u64) -> TaskWork {
        self.memory_bytes_needed = bytes;
        self
    }
}
