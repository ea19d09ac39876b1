package dev.tideway.rules.engine;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.RuleSet;
import dev.tideway.rules.RuleStatus;
import dev.tideway.rules.engine.WaitingEvents.Waiting;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.RuleDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyGroupsList;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * The Tideway rules engine: keyed events on input 1, rule updates (JSON text, broadcast) on input
 * 2, alerts out. Why it is fast where flink-cep on RocksDB is slow:
 *
 * <ul>
 *   <li>Events wait for the watermark in an in-memory queue of the operator, not in keyed state
 *       with one timer per timestamp. When the watermark passes, they are drained in event-time
 *       order, so each key still sees its events sorted (exact for out-of-order input within the
 *       watermark bound). At a checkpoint the queue is written into raw keyed state, by key group,
 *       so it is redistributed with its keys on rescaling, and read back on restore.
 *   <li>Each key has one state value holding all rules' partial matches as compact bytes: one read
 *       and at most one write per event.
 *   <li>A key has at most one timer pending that matters: the earliest time at which an absence or
 *       a held-back match can fire, or else the time when all its state has expired (cleanup). What
 *       expires earlier is dropped when the key's state is next read.
 * </ul>
 *
 * Rules are checkpointed in broadcast state. The rules source's watermarks are ignored: time is the
 * events' time alone, and a quiet control topic must not hold it back.
 */
public class RuleEngineOperator<K, E> extends AbstractStreamOperator<Alert>
        implements TwoInputStreamOperator<E, String, Alert>, Triggerable<K, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    static final MapStateDescriptor<String, String> RULES_STATE =
            new MapStateDescriptor<>("tideway-rules", Types.STRING, Types.STRING);

    /** The keyed state of every key's rule matches and recent ids ({@link KeyState}). */
    private static final String KEY_STATE = "rule-matches";

    /**
     * Format of what a checkpoint holds in each key group's raw keyed state ({@link
     * #writeRawKeyedState}): 2 is the cached key states, then the events waiting for the watermark;
     * 1 (still read) is the cached states alone, the events being in {@link #waitingState}. Format
     * 3 holds the waiting events as the engine keeps them, encoded ({@link EventEncoding}); 2,
     * still read, held them serialized as the job's event type.
     */
    private static final byte RAW_STATE_FORMAT = 3;

    private static final byte RAW_STATE_FORMAT_EVENT_OBJECTS = 2;

    private static final byte RAW_STATE_FORMAT_STATES_ONLY = 1;

    private final EventSchema<E> schema;
    private final TypeInformation<E> eventType;
    private final List<String> seedRules;
    private final OutputTag<E> lateEvents;
    private final OutputTag<RuleStatus> ruleStatus;
    private final int stateCacheKeys;
    private final long dedupWindowMillis;

    private transient TypeSerializer<E> eventSerializer;
    private transient ValueState<byte[]> keyState;
    private transient KeyStateCache cache;

    /** Where checkpoints of earlier versions held the waiting events; read on restore only. */
    private transient ListState<Tuple2<Long, E>> waitingState;

    private transient BroadcastState<String, String> rulesState;
    private transient WaitingEvents<EventChunks.Chunk> waiting;
    private transient EventChunks chunks;
    private transient EventEncoding<E> encoding;
    private transient DataOutputSerializer encoded;
    private transient EncodedEvent view;

    /** Reads the fields of a shipped event on arrival (its id, when it is late). */
    private transient EncodedEvent arrivedView;

    private transient InternalTimerService<VoidNamespace> timers;
    private transient RuleSet rules;
    private transient Matcher matcher;
    private transient DataOutputSerializer out;
    private transient DataInputDeserializer in;
    private transient RecurringStrings ruleIds;
    private transient EmitAlerts emit;
    private transient int idField;
    private transient Counter late;
    private transient Counter updatesRejected;
    private transient Counter duplicates;

    /** Gauge: events waiting for the watermark. Named here for the bench, which reads it. */
    public static final String EVENTS_WAITING_METRIC = "tidewayEventsWaitingForWatermark";

    /** Gauge: event time from the watermark to the newest event waiting, in ms. */
    public static final String WATERMARK_LAG_METRIC = "tidewayWatermarkLagMs";

    /** How many events' key states the drain reads ahead ({@link #touchStates}). */
    private static final int TOUCH_AHEAD = 16;

    /** Keeps what {@link #touchStates} read, so that its reads are not optimized away. */
    private transient int touchSink;

    /**
     * The key whose event or timer is being processed. The drain makes it the keyed state backend's
     * current key only when it needs the backend ({@link #useBackendKey}): on RocksDB, setting a
     * key serializes it, which for every drained event was a twentieth of the engine's time
     * (profiled).
     */
    private transient Object key;

    /**
     * @param seedRules the rules to start with (JSON); rules restored from a checkpoint win unless
     *     a seed has a higher version
     * @param stateCacheKeys how many keys' states to keep in the operator between checkpoints (0:
     *     none, every event reads and writes the state backend)
     */
    public RuleEngineOperator(
            EventSchema<E> schema,
            TypeInformation<E> eventType,
            List<RuleDefinition> seedRules,
            OutputTag<E> lateEvents,
            OutputTag<RuleStatus> ruleStatus,
            int stateCacheKeys) {
        this(schema, eventType, seedRules, lateEvents, ruleStatus, stateCacheKeys, 0);
    }

    /**
     * @param dedupWindowMillis drop an event whose id the key already had, unless the watermark has
     *     passed the first one's event time by this long (0: keep every event)
     */
    public RuleEngineOperator(
            EventSchema<E> schema,
            TypeInformation<E> eventType,
            List<RuleDefinition> seedRules,
            OutputTag<E> lateEvents,
            OutputTag<RuleStatus> ruleStatus,
            int stateCacheKeys,
            long dedupWindowMillis) {
        this.schema = schema;
        this.eventType = eventType;
        this.seedRules = seedRules.stream().map(RuleDefinition::json).collect(Collectors.toList());
        this.lateEvents = lateEvents;
        this.ruleStatus = ruleStatus;
        this.stateCacheKeys = stateCacheKeys;
        this.dedupWindowMillis = dedupWindowMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        eventSerializer = eventType.createSerializer(getExecutionConfig().getSerializerConfig());
        keyState =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(
                                KEY_STATE, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        ListStateDescriptor<Tuple2<Long, E>> waitingDescriptor =
                new ListStateDescriptor<>(
                        "events-waiting-for-watermark", Types.TUPLE(Types.LONG, eventType));
        waitingState =
                getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        waitingDescriptor);
        requireTimersInTheBackendsSnapshot();
        cache = new KeyStateCache(stateCacheKeys, new StateBackendAccess());
        waiting = new WaitingEvents<>();
        chunks = new EventChunks();
        encoding = new EventEncoding<>(schema);
        encoded = new DataOutputSerializer(256);
        view = EncodedEvent.forSchema(schema);
        arrivedView = EncodedEvent.forSchema(schema);
        if (context.isRestored()) {
            restoreRawKeyedState(context);
            restoreWaitingFromKeyedState(waitingDescriptor.getName());
        }

        rulesState = context.getOperatorStateStore().getBroadcastState(RULES_STATE);
        rules = new RuleSet(schema);
        for (Map.Entry<String, String> e : rulesState.entries()) {
            rules.restore(e.getKey(), e.getValue());
        }
        for (String seed : seedRules) {
            RuleSet.Outcome outcome = rules.apply(seed);
            if (RuleStatus.ACTIVE.equals(outcome.status())) {
                rulesState.put(outcome.ruleId(), rules.entryJson(outcome.ruleId()));
            } else {
                LOG.info(
                        "Seed rule {} not applied: {} (the checkpoint's version is kept)",
                        outcome.ruleId(),
                        outcome.reason());
            }
        }
        LOG.info("Rules engine starts with rules {}", rules.running());
    }

    /**
     * RocksDB with its timers on the heap ({@code state.backend.rocksdb.timer-service.factory:
     * HEAP}) writes the timers into the raw keyed state at checkpoints, where this operator keeps
     * its cached states: Flink would fail every checkpoint. Fails at the start instead, with the
     * fix.
     */
    private void requireTimersInTheBackendsSnapshot() {
        if (getKeyedStateBackend() instanceof AbstractKeyedStateBackend<?> backend
                && backend.requiresLegacySynchronousTimerSnapshots(CheckpointType.CHECKPOINT)) {
            throw new IllegalStateException(
                    "the rules engine keeps its cached states and waiting events in the raw"
                            + " keyed state of checkpoints, where this state backend writes heap"
                            + " timers: set"
                            + " state.backend.rocksdb.timer-service.factory: ROCKSDB (the"
                            + " default)");
        }
    }

    /**
     * Puts the key states a checkpoint held from the cache back into it, and the events it held
     * waiting back into the queue, each key's in their arrival order ({@link #writeRawKeyedState});
     * a checkpoint from before states were held this way has none.
     */
    private void restoreRawKeyedState(StateInitializationContext context) throws Exception {
        TypeSerializer<Object> keySerializer = keySerializer();
        for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
            DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(group.getStream());
            byte format = in.readByte();
            if (format < RAW_STATE_FORMAT_STATES_ONLY || format > RAW_STATE_FORMAT) {
                throw new IOException(
                        "rule engine state of key group "
                                + group.getKeyGroupId()
                                + " has format "
                                + format
                                + ", this version reads "
                                + RAW_STATE_FORMAT_STATES_ONLY
                                + " to "
                                + RAW_STATE_FORMAT
                                + ": was the checkpoint taken by a newer Tideway?");
            }
            for (int n = in.readInt(); n > 0; n--) {
                Object stateKey = keySerializer.deserialize(in);
                byte[] state = new byte[in.readInt()];
                in.readFully(state);
                cache.restore(stateKey, state);
            }
            if (format == RAW_STATE_FORMAT_EVENT_OBJECTS) {
                for (int n = in.readInt(); n > 0; n--) {
                    Object eventKey = keySerializer.deserialize(in);
                    long timestamp = in.readLong();
                    enqueue(eventKey, timestamp, eventSerializer.deserialize(in));
                }
            } else if (format == RAW_STATE_FORMAT) {
                int n = in.readInt();
                if (n > 0) {
                    requireSameFields(in.readUTF(), group.getKeyGroupId());
                }
                byte[] bytes = new byte[256];
                for (; n > 0; n--) {
                    Object eventKey = keySerializer.deserialize(in);
                    long timestamp = in.readLong();
                    int length = in.readInt();
                    if (bytes.length < length) {
                        bytes = new byte[length];
                    }
                    in.readFully(bytes, 0, length);
                    EventChunks.Chunk chunk = chunks.append(bytes, length);
                    waiting.add(eventKey, timestamp, chunk, chunks.lastOffset());
                }
            }
        }
    }

    /**
     * Reads the events a checkpoint of an earlier version left waiting in keyed state, in their
     * keys' arrival order, and clears them there: a checkpoint now holds them in the raw keyed
     * state ({@link #writeRawKeyedState}).
     */
    private void restoreWaitingFromKeyedState(String stateName) throws Exception {
        List<Object> keys;
        try (Stream<Object> stream =
                getKeyedStateBackend().getKeys(stateName, VoidNamespace.INSTANCE)) {
            keys = stream.collect(Collectors.toList());
        }
        for (Object key : keys) {
            setCurrentKey(key);
            Iterable<Tuple2<Long, E>> events = waitingState.get();
            if (events != null) {
                for (Tuple2<Long, E> e : events) {
                    enqueue(key, e.f0, e.f1);
                }
                forgetIdsRememberedOnArrival(events);
            }
            waitingState.clear();
        }
    }

    /**
     * A key state from an older format holds the ids of its waiting events already (see {@link
     * KeyState#idsRememberedOnArrival}): takes them out, so that the drain does not take the events
     * for retries, and stores the state in the current format.
     */
    private void forgetIdsRememberedOnArrival(Iterable<Tuple2<Long, E>> events) throws Exception {
        byte[] stored = keyState.value();
        if (stored == null) {
            return;
        }
        KeyState state = KeyState.fromBytes(stored, new DataInputDeserializer());
        if (!state.idsRememberedOnArrival) {
            return;
        }
        for (Tuple2<Long, E> e : events) {
            state.seen.remove(SeenIds.utf8(schema.eventId(e.f1)));
        }
        if (state.isEmpty()) {
            keyState.clear();
        } else {
            DataOutputSerializer current = new DataOutputSerializer(256);
            state.write(current);
            keyState.update(current.getCopyOfBuffer());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("tideway-rules", VoidNamespaceSerializer.INSTANCE, this);
        matcher = new Matcher(schema.size());
        idField = schema.indexOf(EventSchema.EVENT_ID);
        out = new DataOutputSerializer(256);
        in = new DataInputDeserializer();
        ruleIds = new RecurringStrings();
        emit = new EmitAlerts();
        late = getMetricGroup().counter("tidewayLateEvents");
        updatesRejected = getMetricGroup().counter("tidewayRuleUpdatesRejected");
        duplicates = getMetricGroup().counter("tidewayDuplicates");
        getMetricGroup().gauge(EVENTS_WAITING_METRIC, () -> waiting.size());
        getMetricGroup()
                .gauge(
                        WATERMARK_LAG_METRIC,
                        () -> waiting.lagBehindNewest(timers.currentWatermark()));
        getMetricGroup().gauge("tidewayRulesRunning", () -> rules.running().size());
        getMetricGroup().gauge("tidewayStateCacheKeys", () -> cache.size());
        getMetricGroup().gauge("tidewayStateCacheHits", () -> cache.hits());
        getMetricGroup().gauge("tidewayStateCacheMisses", () -> cache.misses());
    }

    @Override
    public void processElement1(StreamRecord<E> record) throws Exception {
        if (!record.hasTimestamp()) {
            throw new IllegalStateException(
                    "the rules engine runs in event time, but an event came without a"
                            + " timestamp: give its source a WatermarkStrategy with a"
                            + " timestamp assigner");
        }
        long ts = record.getTimestamp();
        key = getCurrentKey();
        Object value = record.getValue();
        if (value instanceof ShippedEvent) {
            arrived((ShippedEvent) value, ts);
            return;
        }
        E event = record.getValue();
        if (ts <= timers.currentWatermark()) {
            String id = schema.eventId(event);
            lateEvent(id == null ? null : SeenIds.utf8(id), ts, () -> event);
            return;
        }
        enqueue(key, ts, event);
    }

    /**
     * An event the source's task encoded ({@link RuleEngine}): queued as it came; a late one is
     * built back into the job's event for the late output.
     */
    private void arrived(ShippedEvent event, long ts) throws Exception {
        byte[] fields = event.fields();
        if (ts <= timers.currentWatermark()) {
            EncodedEvent fieldsOf = arrivedView.of(fields, 0);
            lateEvent(fieldsOf.utf8(idField), ts, () -> schema.rebuild(fieldsOf));
            return;
        }
        queue(key, ts, fields, fields.length);
    }

    /**
     * An event behind the watermark: dropped if it is a retry (de-duplication on), else to the late
     * output. The event is only built when it goes there.
     *
     * @param id the event's id as UTF-8, or null if it has none
     */
    private void lateEvent(byte[] id, long ts, Supplier<E> event) throws Exception {
        if (dedupWindowMillis > 0 && isLateRetry(id, ts)) {
            duplicates.inc();
            return;
        }
        late.inc();
        output.collect(lateEvents, new StreamRecord<>(event.get(), ts));
    }

    /**
     * Puts an event in the queue for the watermark, encoded: the event object is not kept (see
     * {@link EventEncoding} for why), so object reuse needs no copy either.
     */
    private void enqueue(Object eventKey, long ts, E event) throws IOException {
        encoding.encode(event, encoded);
        queue(eventKey, ts, encoded.getSharedBuffer(), encoded.length());
    }

    /** Copies an encoded event into the chunks and queues it. */
    private void queue(Object eventKey, long ts, byte[] bytes, int length) {
        EventChunks.Chunk chunk = chunks.append(bytes, length);
        waiting.add(eventKey, ts, chunk, chunks.lastOffset());
    }

    /**
     * Fails the restore, with the way out, when a checkpoint's waiting events were encoded with
     * other fields than this job's schema has.
     */
    private void requireSameFields(String stored, int keyGroup) throws IOException {
        if (!stored.equals(encoding.fingerprint())) {
            throw new IOException(
                    "events waiting for the watermark in key group "
                            + keyGroup
                            + " were checkpointed with the event fields ["
                            + stored
                            + "], but the rules engine's schema now has ["
                            + encoding.fingerprint()
                            + "]: restore with the schema of the job that took the checkpoint,"
                            + " or take the savepoint with 'flink stop --drain', which lets every"
                            + " waiting event through first");
        }
    }

    /**
     * Whether a late event is a retry of one the key already had; if not, remembers its id (a
     * second copy of it is a retry too). An event on time is checked when the watermark passes it
     * ({@link #onEvent}): its key's state is then read once for both the check and the rules.
     */
    private boolean isLateRetry(byte[] id, long ts) throws Exception {
        if (id == null) {
            return false; // an event without an id cannot be told from another
        }
        KeyStateCache.Entry stored = cache.read(key);
        KeyState state = read(stored);
        boolean forgot = state.seen.forget(forgetUpTo(timers.currentWatermark()));
        boolean seen = state.seen.contains(id);
        if (!seen) {
            state.seen.add(id, ts);
        }
        if (!seen || forgot) {
            schedule(state);
            store(state, stored);
        }
        return seen;
    }

    /**
     * Ids of events at or before this time may be forgotten once the watermark is at {@code now}.
     */
    private long forgetUpTo(long now) {
        return now < Long.MIN_VALUE + dedupWindowMillis ? Long.MIN_VALUE : now - dedupWindowMillis;
    }

    @Override
    public void processElement2(StreamRecord<String> record) throws Exception {
        RuleSet.Outcome outcome = rules.apply(record.getValue());
        if (RuleStatus.REJECTED.equals(outcome.status())) {
            updatesRejected.inc();
            LOG.warn("Rule update rejected: {} ({})", outcome.reason(), record.getValue());
        } else {
            rulesState.put(outcome.ruleId(), rules.entryJson(outcome.ruleId()));
            LOG.info("Rule {} v{} {}", outcome.ruleId(), outcome.version(), outcome.status());
        }
        // Every subtask applies the update; one reports it.
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            CompiledRule now = rules.version(outcome.ruleId(), outcome.version());
            long activeFrom = now == null ? Long.MIN_VALUE : now.activeFrom();
            output.collect(
                    ruleStatus,
                    new StreamRecord<>(
                            new RuleStatus(
                                    outcome.ruleId(),
                                    outcome.version(),
                                    outcome.status(),
                                    outcome.reason(),
                                    activeFrom,
                                    System.currentTimeMillis(),
                                    record.getValue())));
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        int touchedAhead = 0;
        for (Waiting<EventChunks.Chunk> next; (next = waiting.pollUpTo(watermark)) != null; ) {
            if (touchedAhead == 0) {
                touchedAhead = touchStates(next);
            }
            touchedAhead--;
            key = next.key;
            onEvent(view.of(next.event.bytes, next.at), next.timestamp);
            chunks.release(next.event);
        }
        for (String id : rules.retirePrevious(watermark)) {
            rulesState.put(id, rules.entryJson(id));
        }
        super.processWatermark(mark); // fires due timers, then forwards the watermark
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // Time comes from the events alone.
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int inputIndex) {
        if (inputIndex == 0) {
            output.emitWatermarkStatus(status);
        }
    }

    /**
     * Reads the cached states of {@code next} and the events after it, a batch at a time, before
     * processing them. The drain goes through the keys in event-time order, so each key's state is
     * out of the processor's caches, and each lookup is a chain of memory fetches (hash table, key,
     * entry, bytes). One at a time, profiles of the fraud job put those fetches at close to half of
     * the engine's time; lookups of different keys in one tight loop overlap in the processor.
     *
     * @return how many events' states were read, {@code next} included
     */
    private int touchStates(Waiting<EventChunks.Chunk> next) {
        int sum = cache.touch(next.key);
        int touched = 1;
        for (Waiting<EventChunks.Chunk> w;
                touched < TOUCH_AHEAD && (w = waiting.ahead(touched - 1)) != null; ) {
            sum += cache.touch(w.key);
            touched++;
        }
        touchSink += sum;
        return touched;
    }

    /** One event, in its key's event-time order. */
    private void onEvent(EncodedEvent event, long ts) throws Exception {
        KeyStateCache.Entry stored = cache.read(key);
        KeyState state = read(stored);
        // The watermark the drain started from, which is before ts: a retry (same event time as
        // its original) finds the original's id even in the drain at the end of input.
        boolean changed = state.seen.forget(forgetUpTo(timers.currentWatermark()));
        byte[] eventId = dedupWindowMillis > 0 ? event.utf8(idField) : null;
        // An event without an id cannot be told from another: it is never a duplicate.
        if (eventId != null) {
            if (state.seen.contains(eventId)) {
                duplicates.inc();
                if (changed) {
                    schedule(state);
                    store(state, stored);
                }
                return;
            }
            state.seen.add(eventId, ts);
            changed = true;
        }
        long seq = state.nextSeq;
        for (String id : rules.ids()) {
            CompiledRule rule = rules.forEventTime(id, ts);
            RuleRun run = state.run(id);
            if (run != null && (rule == null || run.version != rule.version())) {
                // Another version decides from here on: let the old one's windows close up to
                // now (an absence may complete), then start the new version empty.
                CompiledRule old = rules.version(id, run.version);
                if (old != null) {
                    matcher.advanceTime(run, old, ts, emit);
                }
                state.runs.remove(run);
                run = null;
                changed = true;
            }
            if (rule == null) {
                continue;
            }
            boolean added = false;
            if (run == null) {
                run = new RuleRun(id, rule.version());
                state.runs.add(run);
                added = true;
            }
            changed |= matcher.advanceTime(run, rule, ts, emit);
            changed |= matcher.process(run, rule, event, ts, seq, emit);
            if (run.isEmpty()) {
                state.runs.remove(run);
                changed |= !added;
            }
        }
        changed |= state.runs.removeIf(r -> rules.version(r.ruleId, r.version) == null);
        if (!state.isEmpty()) {
            state.nextSeq = seq + 1;
        }
        if (changed || !state.isEmpty()) {
            schedule(state);
            store(state, stored);
        }
    }

    @Override
    public void onEventTime(InternalTimer<K, VoidNamespace> timer) throws Exception {
        key = getCurrentKey();
        KeyStateCache.Entry stored = cache.read(key);
        if (stored.isEmpty()) {
            return;
        }
        KeyState state = read(stored);
        state.timerAt = Long.MIN_VALUE;
        long now = timers.currentWatermark();
        state.seen.forget(forgetUpTo(now));
        for (RuleRun run : new ArrayList<>(state.runs)) {
            CompiledRule rule = rules.version(run.ruleId, run.version);
            if (rule != null) {
                matcher.advanceTime(run, rule, now, emit);
            }
            if (rule == null || run.isEmpty()) {
                state.runs.remove(run);
            }
        }
        schedule(state);
        store(state, stored);
    }

    @Override
    public void onProcessingTime(InternalTimer<K, VoidNamespace> timer) {}

    /** Makes sure a timer is pending for the key's next moment of interest. */
    private void schedule(KeyState state) {
        long emission = Long.MAX_VALUE;
        long expiry = Long.MIN_VALUE;
        for (RuleRun run : state.runs) {
            CompiledRule rule = rules.version(run.ruleId, run.version);
            if (rule == null) {
                // Its rule was removed or replaced: the key's next event or timer drops the run.
                continue;
            }
            long t = Matcher.nextEmission(run, rule);
            if (t >= 0) {
                emission = Math.min(emission, t);
            }
            expiry = Math.max(expiry, Matcher.allExpired(run, rule));
        }
        if (!state.seen.isEmpty()) {
            expiry = Math.max(expiry, state.seen.newestEventTime() + dedupWindowMillis);
        }
        // Wake for what must happen on time (an absence, a held match), else when everything has
        // expired, so that a quiet key's state is cleared. What expires before that (a partial
        // match, an id) is dropped whenever the key's state is next touched, with the same result:
        // waking a busy key each time its oldest id or partial match expired cost a RocksDB timer
        // every few events per key, a fifth of the engine's time (profiled).
        long wake =
                emission != Long.MAX_VALUE
                        ? emission
                        : expiry == Long.MIN_VALUE ? Long.MAX_VALUE : expiry;
        if (wake != Long.MAX_VALUE && (state.timerAt == Long.MIN_VALUE || state.timerAt > wake)) {
            useBackendKey();
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, wake);
            state.timerAt = wake;
        }
    }

    /** Makes {@link #key} the keyed state backend's current key (timers and state use it). */
    private void useBackendKey() {
        // The same object, as set before: the backend's key is read, not serialized.
        if (getCurrentKey() != key) {
            setCurrentKey(key);
        }
    }

    /** The state in a cache entry; it may point into the entry's bytes until they are written. */
    private KeyState read(KeyStateCache.Entry stored) throws Exception {
        return stored.isEmpty()
                ? new KeyState()
                : KeyState.fromBytes(stored.bytes, stored.length, in, ruleIds);
    }

    /** Stores the key's state into the cache entry it was read from. */
    private void store(KeyState state, KeyStateCache.Entry stored) throws Exception {
        if (state.isEmpty()) {
            if (!stored.isEmpty()) {
                cache.clear(stored);
            }
        } else {
            state.write(out);
            cache.write(stored, out);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        writeRawKeyedState(context);
    }

    /**
     * Bytes per write into the checkpoint stream. A local file stream copies each write through a
     * native buffer, which for large writes is freshly mapped memory: writing a key group's
     * hundreds of kilobytes at once spent most of the checkpoint's time in page faults (profiled);
     * up to 8 KB, the JDK copies through a buffer on the stack.
     */
    private static final int WRITE_CHUNK = 8 * 1024;

    /**
     * Writes the cached key states and the events waiting for the watermark into the checkpoint as
     * raw keyed state, by key group, so that both go with their keys on rescaling: per key group
     * the format, a count and each key with its state, then a count and each waiting event with its
     * key and timestamp, in arrival order. Every key group of the subtask is written, empty ones
     * with counts of 0.
     *
     * <p>Synchronous, like the writes into RocksDB they replaced, but sequential writes: the fraud
     * benchmark's 100,000 cached states (30 MB) take about 0.1 s of CPU, where a RocksDB put per
     * key took about 0.5 s; and its 50,000 or so waiting events, put into a keyed list state one by
     * one and cleared again at the next checkpoint, took three quarters of the checkpoint's
     * synchronous time and 6 % of the engine thread's (profiled).
     */
    private void writeRawKeyedState(StateSnapshotContext context) throws Exception {
        List<KeyStateCache.Entry> states = cache.statesForCheckpoint();
        List<Waiting<EventChunks.Chunk>> events = waiting.inArrivalOrder();
        KeyedStateCheckpointOutputStream stream = context.getRawKeyedOperatorStateOutput();
        KeyGroupsList groups = stream.getKeyGroupList();
        int first = groups.getKeyGroupId(0);
        int count = groups.getNumberOfKeyGroups();
        int[] stateStarts = new int[count + 1];
        List<KeyStateCache.Entry> sortedStates =
                sortByKeyGroup(states, e -> e.key, first, stateStarts);
        int[] eventStarts = new int[count + 1];
        List<Waiting<EventChunks.Chunk>> sortedEvents =
                sortByKeyGroup(events, w -> w.key, first, eventStarts);
        String fields = encoding.fingerprint();
        TypeSerializer<Object> keySerializer = keySerializer();
        DataOutputSerializer group = new DataOutputSerializer(64 * 1024);
        try {
            for (int g = 0; g < count; g++) {
                stream.startNewKeyGroup(first + g);
                group.clear();
                group.writeByte(RAW_STATE_FORMAT);
                group.writeInt(stateStarts[g + 1] - stateStarts[g]);
                for (int i = stateStarts[g]; i < stateStarts[g + 1]; i++) {
                    KeyStateCache.Entry state = sortedStates.get(i);
                    keySerializer.serialize(state.key, group);
                    group.writeInt(state.length);
                    group.write(state.bytes, 0, state.length);
                }
                group.writeInt(eventStarts[g + 1] - eventStarts[g]);
                if (eventStarts[g + 1] > eventStarts[g]) {
                    group.writeUTF(fields);
                }
                for (int i = eventStarts[g]; i < eventStarts[g + 1]; i++) {
                    Waiting<EventChunks.Chunk> event = sortedEvents.get(i);
                    keySerializer.serialize(event.key, group);
                    group.writeLong(event.timestamp);
                    int length = view.of(event.event.bytes, event.at).length();
                    group.writeInt(length);
                    group.write(event.event.bytes, event.at, length);
                }
                for (int at = 0; at < group.length(); at += WRITE_CHUNK) {
                    stream.write(
                            group.getSharedBuffer(),
                            at,
                            Math.min(WRITE_CHUNK, group.length() - at));
                }
            }
        } finally {
            stream.close();
        }
    }

    /**
     * Tells Flink that the raw keyed state is the engine's ({@link #writeRawKeyedState}), so that
     * it does not try to restore its legacy heap timers from it.
     */
    @Override
    protected boolean isUsingCustomRawKeyedState() {
        return true;
    }

    /**
     * The items in key-group order (a counting sort, so each key group's items keep their order),
     * the stream taking the groups one after the other; {@code starts[g]} is where the subtask's
     * g-th key group starts, {@code starts[g + 1]} where it ends. A subtask's key groups are a
     * range from {@code first}.
     */
    private <T> List<T> sortByKeyGroup(
            List<T> items, Function<T, Object> keyOf, int first, int[] starts) {
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        int[] groupOf = new int[items.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] =
                    KeyGroupRangeAssignment.assignToKeyGroup(
                                    keyOf.apply(items.get(i)), maxParallelism)
                            - first;
            starts[groupOf[i] + 1]++;
        }
        for (int g = 1; g < starts.length; g++) {
            starts[g] += starts[g - 1];
        }
        Object[] sorted = new Object[groupOf.length];
        int[] next = Arrays.copyOf(starts, starts.length - 1);
        for (int i = 0; i < groupOf.length; i++) {
            sorted[next[groupOf[i]]++] = items.get(i);
        }
        @SuppressWarnings("unchecked")
        List<T> inOrder = (List<T>) Arrays.asList(sorted);
        return inOrder;
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<Object> keySerializer() {
        return (TypeSerializer<Object>) getKeyedStateBackend().getKeySerializer();
    }

    /**
     * Keyed state entries a checkpoint taken now would hold, for tests of the state's bounds: one
     * per key with rule state (cached, or in the keyed state backend only) and one per key with
     * events waiting for the watermark.
     */
    @VisibleForTesting
    public int stateEntries() throws Exception {
        Set<Object> keys;
        try (Stream<Object> stream =
                getKeyedStateBackend().getKeys(KEY_STATE, VoidNamespace.INSTANCE)) {
            keys = stream.collect(Collectors.toCollection(HashSet::new));
        }
        for (KeyStateCache.Entry cached : cache.entries()) {
            if (cached.isEmpty()) {
                keys.remove(cached.key);
            } else {
                keys.add(cached.key);
            }
        }
        Set<Object> waitingKeys = new HashSet<>();
        for (Waiting<EventChunks.Chunk> w : waiting.inArrivalOrder()) {
            waitingKeys.add(w.key);
        }
        return keys.size() + waitingKeys.size();
    }

    /** Events waiting for the watermark, for tests. */
    @VisibleForTesting
    public int eventsWaiting() {
        return waiting.size();
    }

    /** The key states in the keyed state backend, behind the cache. */
    private final class StateBackendAccess implements KeyStateCache.Backend {
        @Override
        public byte[] read() throws Exception {
            useBackendKey();
            return keyState.value();
        }

        @Override
        public void write(Object stateKey, byte[] state) throws Exception {
            setCurrentKey(stateKey);
            if (state == null) {
                keyState.clear();
            } else {
                keyState.update(state);
            }
        }
    }

    /** Builds an alert from a match and sends it on. */
    private final class EmitAlerts implements Matcher.Matches {
        private final StreamRecord<Alert> reuse = new StreamRecord<>(null);

        @Override
        public void match(CompiledRule rule, Partial match, boolean byAbsence) {
            Alert alert = Alerts.of(schema, rule, String.valueOf(key), match, byAbsence);
            output.collect(reuse.replace(alert, alert.eventTime));
        }
    }
}
