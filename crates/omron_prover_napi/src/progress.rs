//! Progress events from a worker thread to a JS callback, delivered in order and all
//! before the proof's promise settles.

use napi::bindgen_prelude::Unknown;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use omron_prover::Stage;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One progress report: the stage (`witness`, `prove`, `done`) and its completed fraction in [0, 1].
#[napi(object)]
pub struct ProgressEvent {
    pub stage: String,
    pub fraction: f64,
}

/// Progress callback: plain arguments (no error-first), does not keep the process alive.
pub type ProgressFn =
    ThreadsafeFunction<ProgressEvent, Unknown<'static>, ProgressEvent, Status, false, true>;

/// Longest wait for queued events at the end of a proof (the JS thread is normally idle
/// then; this only bounds a pathological case such as a blocked event loop).
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// Forwards core progress to JS and counts events not yet delivered.
pub struct ProgressSink {
    callback: ProgressFn,
    pending: Arc<(Mutex<usize>, Condvar)>,
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Witness => "witness",
        Stage::Prove => "prove",
        Stage::Done => "done",
    }
}

impl ProgressSink {
    pub fn new(callback: ProgressFn) -> Self {
        ProgressSink {
            callback,
            pending: Arc::new((Mutex::new(0), Condvar::new())),
        }
    }

    /// Queues one event (non-blocking; the queue is unbounded and FIFO, so order holds).
    pub fn report(&self, stage: Stage, fraction: f64) {
        let event = ProgressEvent {
            stage: stage_name(stage).into(),
            fraction,
        };
        *self.pending.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let pending = self.pending.clone();
        let status = self.callback.call_with_return_value(
            event,
            ThreadsafeFunctionCallMode::NonBlocking,
            move |_, _| {
                delivered(&pending);
                Ok(())
            },
        );
        // Closing (process exit): the event will never arrive; do not wait for it.
        if status != Status::Ok {
            delivered(&self.pending);
        }
    }

    /// Waits until every queued event has reached JS, so none arrives after the result.
    pub fn flush(&self) {
        let (count, cv) = &*self.pending;
        let guard = count.lock().unwrap_or_else(|e| e.into_inner());
        let _ = cv.wait_timeout_while(guard, FLUSH_TIMEOUT, |n| *n > 0);
    }
}

fn delivered(pending: &(Mutex<usize>, Condvar)) {
    let mut n = pending.0.lock().unwrap_or_else(|e| e.into_inner());
    *n = n.saturating_sub(1);
    pending.1.notify_all();
}
