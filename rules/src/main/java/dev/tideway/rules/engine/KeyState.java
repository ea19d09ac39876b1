package dev.tideway.rules.engine;

import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything the engine keeps for one key, in one state value: every rule's partial and held
 * matches, the ids of the key's recent events (de-duplication), the key's event counter, and the
 * timer it has asked for. Stored as compact bytes (one RocksDB read and at most one write per event
 * and key), in a format with its own version byte.
 */
final class KeyState {
    /**
     * Format 3 keeps the recent ids as bytes ({@link SeenIds}); format 2 (ids as strings) and 1 (no
     * ids) are still read.
     */
    private static final byte FORMAT = 3;

    private static final byte FORMAT_IDS_AS_STRINGS = 2;
    private static final byte FORMAT_WITHOUT_IDS = 1;
    private static final byte NULL = 0;
    private static final byte NUMBER = 1;
    private static final byte TEXT = 2;
    private static final byte TRUE = 3;
    private static final byte FALSE = 4;

    /** Processing order of the key's events; restarts at 0 when the key holds nothing. */
    long nextSeq;

    /** The earliest event-time timer registered for this key, or Long.MIN_VALUE for none. */
    long timerAt = Long.MIN_VALUE;

    final ArrayList<RuleRun> runs = new ArrayList<>(2);

    /** Ids of the key's events seen lately, with their event times, oldest event time first. */
    SeenIds seen = new SeenIds();

    /**
     * Read from format 2 or older, which remembered an event's id when it arrived; format 3 does
     * when the watermark passes the event. So the ids of events still waiting at that checkpoint
     * are in {@link #seen} already and must be taken out, or they would be dropped as retries.
     */
    boolean idsRememberedOnArrival;

    boolean isEmpty() {
        return runs.isEmpty() && seen.isEmpty();
    }

    RuleRun run(String ruleId) {
        for (RuleRun r : runs) {
            if (r.ruleId.equals(ruleId)) {
                return r;
            }
        }
        return null;
    }

    /** Writes the state into {@code out} (cleared first). */
    void write(DataOutputSerializer out) throws IOException {
        out.clear();
        out.writeByte(FORMAT);
        out.writeLong(nextSeq);
        out.writeLong(timerAt);
        out.writeShort(runs.size());
        for (RuleRun run : runs) {
            out.writeUTF(run.ruleId);
            out.writeInt(run.version);
            writePartials(out, run.partials);
            writePartials(out, run.completed);
        }
        seen.write(out);
    }

    static KeyState fromBytes(byte[] bytes, DataInputDeserializer in) throws IOException {
        return bytes == null
                ? new KeyState()
                : fromBytes(bytes, bytes.length, in, new RecurringStrings());
    }

    /**
     * Reads {@code bytes[0, length)}; the state may point into {@code bytes} (its ids and texts).
     *
     * @param ruleIds the rule ids read before, kept by the caller from state to state
     */
    static KeyState fromBytes(
            byte[] bytes, int length, DataInputDeserializer in, RecurringStrings ruleIds)
            throws IOException {
        KeyState state = new KeyState();
        in.setBuffer(bytes, 0, length);
        byte format = in.readByte();
        if (format < FORMAT_WITHOUT_IDS || format > FORMAT) {
            throw new IOException(
                    "rules engine state has format "
                            + format
                            + ", this version reads "
                            + FORMAT_WITHOUT_IDS
                            + " to "
                            + FORMAT
                            + ": was the savepoint taken by a newer Tideway?");
        }
        state.idsRememberedOnArrival = format < FORMAT;
        state.nextSeq = in.readLong();
        state.timerAt = in.readLong();
        int runs = in.readShort();
        for (int r = 0; r < runs; r++) {
            String id = ruleIds.read(in, bytes);
            int version = in.readInt();
            state.runs.add(
                    new RuleRun(id, version, readPartials(in, bytes), readPartials(in, bytes)));
        }
        if (format == FORMAT) {
            state.seen = SeenIds.read(in, bytes);
        } else if (format == FORMAT_IDS_AS_STRINGS) {
            int ids = in.readInt();
            for (int i = 0; i < ids; i++) {
                byte[] id = SeenIds.utf8(in.readUTF());
                state.seen.add(id, in.readLong());
            }
        }
        return state;
    }

    private static void writePartials(DataOutputSerializer out, ArrayList<Partial> partials)
            throws IOException {
        out.writeShort(partials.size());
        for (Partial p : partials) {
            out.writeShort(p.stage);
            out.writeLong(p.startTs);
            out.writeLong(p.startSeq);
            out.writeShort(p.events.size());
            for (CapturedEvent e : p.events) {
                out.writeByte(e.step);
                out.writeLong(e.seq);
                Object[] values = e.values;
                out.writeByte(values.length);
                for (Object v : values) {
                    if (v == null) {
                        out.writeByte(NULL);
                    } else if (v instanceof Double) {
                        out.writeByte(NUMBER);
                        out.writeDouble((Double) v);
                    } else if (v instanceof Boolean) {
                        out.writeByte((Boolean) v ? TRUE : FALSE);
                    } else if (v instanceof StoredText) {
                        out.writeByte(TEXT);
                        ((StoredText) v).writeTo(out);
                    } else {
                        out.writeByte(TEXT);
                        out.writeUTF((String) v);
                    }
                }
            }
        }
    }

    /** Reads partial matches; their texts point into {@code bytes} ({@link StoredText}). */
    private static ArrayList<Partial> readPartials(DataInputDeserializer in, byte[] bytes)
            throws IOException {
        int n = in.readShort();
        ArrayList<Partial> partials = new ArrayList<>(Math.max(n, 2));
        for (int i = 0; i < n; i++) {
            int stage = in.readShort();
            long startTs = in.readLong();
            long startSeq = in.readLong();
            int events = in.readShort();
            ArrayList<CapturedEvent> taken = new ArrayList<>(events + 1);
            for (int j = 0; j < events; j++) {
                int step = in.readByte();
                long seq = in.readLong();
                Object[] values = new Object[in.readByte()];
                for (int k = 0; k < values.length; k++) {
                    byte tag = in.readByte();
                    switch (tag) {
                        case NULL:
                            break;
                        case NUMBER:
                            values[k] = in.readDouble();
                            break;
                        case TRUE:
                            values[k] = Boolean.TRUE;
                            break;
                        case FALSE:
                            values[k] = Boolean.FALSE;
                            break;
                        default:
                            values[k] = StoredText.read(in, bytes);
                    }
                }
                taken.add(new CapturedEvent(step, seq, values));
            }
            partials.add(new Partial(stage, startTs, startSeq, taken));
        }
        return partials;
    }
}
