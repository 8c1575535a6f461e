//! One executor's state as the scheduler sees it: liveness, task slots (which lane each running task
//! occupies), how many tasks it has started (cold JVM), how much work it has done (JIT warm-up) and the
//! cached bytes its storage memory holds. It knows nothing of stages or the cost model's numbers.

use super::event_queue::SimTime;

#[derive(Debug, Clone)]
pub struct Executor {
    pub alive: bool,
    /// Per slot: is it free?
    free: Vec<bool>,
    free_count: u32,
    /// Tasks launched on it so far.
    pub launched: u64,
    /// Task run time it has accumulated (drives the warm-up factor).
    pub busy_us: SimTime,
    /// Bytes of cached blocks it holds.
    pub storage_used: u64,
    /// 100 = normal speed.
    pub slow_pct: u32,
}

impl Executor {
    pub fn new(slots: u32, slow_pct: u32) -> Executor {
        Executor {
            alive: true,
            free: vec![true; slots as usize],
            free_count: slots,
            launched: 0,
            busy_us: 0,
            storage_used: 0,
            slow_pct,
        }
    }

    pub fn slots(&self) -> u32 {
        self.free.len() as u32
    }

    pub fn free_slots(&self) -> u32 {
        if self.alive {
            self.free_count
        } else {
            0
        }
    }

    /// Occupies the lowest free slot.
    pub fn take_slot(&mut self) -> Option<u16> {
        let i = self.free.iter().position(|&f| f)?;
        self.free[i] = false;
        self.free_count -= 1;
        Some(i as u16)
    }

    pub fn release_slot(&mut self, slot: u16) {
        if let Some(f) = self.free.get_mut(slot as usize) {
            if !*f {
                *f = true;
                self.free_count += 1;
            }
        }
    }

    /// Dies: slots and cached blocks are gone.
    pub fn kill(&mut self) {
        self.alive = false;
        self.storage_used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_slot_first_and_release() {
        let mut e = Executor::new(3, 100);
        assert_eq!(e.take_slot(), Some(0));
        assert_eq!(e.take_slot(), Some(1));
        e.release_slot(0);
        assert_eq!(e.free_slots(), 2);
        assert_eq!(e.take_slot(), Some(0));
        assert_eq!(e.take_slot(), Some(2));
        assert_eq!(e.take_slot(), None);
        e.release_slot(2);
        e.release_slot(2);
        assert_eq!(e.free_slots(), 1);
        e.kill();
        assert_eq!(e.free_slots(), 0);
    }
}
