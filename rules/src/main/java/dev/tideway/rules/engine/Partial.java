package dev.tideway.rules.engine;

import java.util.ArrayList;

/**
 * One partial match of one rule on one key: the stage it waits at (equal to the number of stages
 * when only the absence window is left), when and with which event it started, and the events it
 * took. Starts are compared by {@code startSeq}, the key's processing order, which is flink-cep's
 * order of (timestamp, event id).
 */
final class Partial {
    int stage;
    final long startTs;
    final long startSeq;
    final ArrayList<CapturedEvent> events;

    Partial(int stage, long startTs, long startSeq, ArrayList<CapturedEvent> events) {
        this.stage = stage;
        this.startTs = startTs;
        this.startSeq = startSeq;
        this.events = events;
    }

    /** The last event taken: what skip-past-last-event prunes up to. */
    long lastSeq() {
        return events.get(events.size() - 1).seq;
    }

    /** The last event taken by {@code step}, or null. */
    CapturedEvent lastOf(int step) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).step == step) {
                return events.get(i);
            }
        }
        return null;
    }
}
