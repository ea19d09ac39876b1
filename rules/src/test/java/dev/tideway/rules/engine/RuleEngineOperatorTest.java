package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.RuleEngineOptions;
import dev.tideway.rules.RuleStatus;
import dev.tideway.rules.TestEvent;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.RuleParser;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupsList;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** The operator on RocksDB: snapshots of waiting events and matches, rule updates, state bounds. */
class RuleEngineOperatorTest {
    private static final OutputTag<TestEvent> LATE =
            new OutputTag<>("late", Types.POJO(TestEvent.class));
    private static final String AB =
            "{\"id\":\"ab\",\"version\":1,\"key\":\"key\",\"within\":\"10 s\","
                    + "\"steps\":[{\"name\":\"a\",\"where\":\"kind == 'a'\"},"
                    + "{\"name\":\"b\",\"where\":\"kind == 'b'\"}]}";

    /** The engine with the rule AB, as the harnesses below run it. */
    private static RuleEngineOperator<String, TestEvent> engine(
            EventSchema<TestEvent> schema, int cacheKeys, long dedupMillis) throws Exception {
        return new RuleEngineOperator<>(
                schema,
                Types.POJO(TestEvent.class),
                List.of(RuleParser.parse(AB)),
                LATE,
                RuleEngine.RULE_STATUS,
                cacheKeys,
                dedupMillis);
    }

    /** One of {@code parallelism} subtasks, on RocksDB. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert> harness(
            int maxParallelism, int parallelism, int subtask) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        engine(
                                TestEvent.SCHEMA,
                                RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(),
                                0),
                        (TestEvent e) -> e.key,
                        (String r) -> "",
                        Types.STRING,
                        maxParallelism,
                        parallelism,
                        subtask);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** On RocksDB, as jobs run; the heap backend where a test counts state entries. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            harness() throws Exception {
        var h = heapHarness();
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            heapHarness() throws Exception {
        return heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            heapHarness(int cacheKeys) throws Exception {
        return heapHarness(cacheKeys, 0);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            heapHarness(int cacheKeys, long dedupMillis) throws Exception {
        return heapHarness(TestEvent.SCHEMA, cacheKeys, dedupMillis);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            heapHarness(EventSchema<TestEvent> schema, int cacheKeys, long dedupMillis)
                    throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        engine(schema, cacheKeys, dedupMillis),
                        (TestEvent e) -> e.key,
                        (String r) -> "",
                        Types.STRING);
        return h;
    }

    /** The operator as RuleEngine runs it for a schema that can rebuild: events come encoded. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, ShippedEvent, String, Alert>
            shippedHarness(long dedupMillis) throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TwoInputStreamOperator<ShippedEvent, String, Alert> engine =
                (TwoInputStreamOperator)
                        engine(
                                TestEvent.SCHEMA,
                                RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(),
                                dedupMillis);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                engine, ShippedEvent::key, (String r) -> "", Types.STRING);
    }

    private static final ShipEvents<TestEvent> SHIP =
            new ShipEvents<>(TestEvent.SCHEMA, e -> e.key);

    private static StreamRecord<ShippedEvent> shipped(StreamRecord<TestEvent> event)
            throws Exception {
        return new StreamRecord<>(SHIP.map(event.getValue()), event.getTimestamp());
    }

    @Test
    void eventsThatCameEncodedMatchAndALateOneLeavesAsTheEventItWas() throws Exception {
        TestEvent lateOne = new TestEvent("c1", "k", "c", 2.5, true, 1_200);
        lateOne.latitude = 48.8566;
        lateOne.longitude = -2.3522;
        try (var h = shippedHarness(10_000)) {
            h.open();
            h.processElement1(shipped(ev("a1", "k", "a", 1_000)));
            h.processElement1(shipped(ev("a1", "k", "a", 1_000))); // a retry, on time
            h.processWatermark1(new Watermark(1_500));
            h.processElement1(shipped(ev("a1", "k", "a", 1_000))); // a retry, late: dropped
            h.processElement1(shipped(new StreamRecord<>(lateOne, 1_200))); // late
            h.processElement1(shipped(ev("b1", "k", "b", 2_000)));
            h.processWatermark1(new Watermark(2_500));

            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactly("k[a1, b1]");
            assertThat(h.getSideOutput(LATE))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getTimestamp()).isEqualTo(1_200);
                                assertThat(r.getValue())
                                        .usingRecursiveComparison()
                                        .isEqualTo(lateOne);
                            });
        }
    }

    private static long snapshots;

    /** Keyed state entries a checkpoint holds (the engine's own count), after a snapshot. */
    private static int stateEntries(
            KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert> h)
            throws Exception {
        h.snapshot(++snapshots, snapshots);
        return ((RuleEngineOperator<?, ?>) h.getOperator()).stateEntries();
    }

    @Test
    void retriesAreDroppedEvenWhenLateUntilTheWatermarkPassesTheWindow() throws Exception {
        try (var h = heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(), 10_000)) {
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processElement1(ev("a1", "k", "a", 1_000)); // a retry, on time
            h.processWatermark1(new Watermark(1_500));
            h.processElement1(ev("a1", "k", "a", 1_000)); // a retry, late: still a retry
            h.processElement1(ev("a1", "other", "a", 1_600)); // same id, other key: its own
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processWatermark1(new Watermark(2_500));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactly("k[a1, b1]");
            assertThat(h.getSideOutput(LATE)).isNull();

            // The ids are kept until the watermark is 10 s past their events, then forgotten.
            h.processWatermark1(new Watermark(10_999));
            assertThat(stateEntries(h)).as("ids of k and of other").isEqualTo(2);
            h.processWatermark1(new Watermark(11_999));
            assertThat(stateEntries(h)).as("b1's id, until 12,000").isEqualTo(1);
            h.processWatermark1(new Watermark(12_000));
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            h.processElement1(ev("a1", "k", "a", 1_000)); // forgotten: now merely late
            assertThat(h.getSideOutput(LATE)).hasSize(1);
        }
    }

    @Test
    void retriesAreDroppedInTheDrainAtTheEndOfInput() throws Exception {
        try (var h = heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(), 10_000)) {
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processElement1(ev("a1", "k", "a", 1_000)); // a retry after b1, both waiting
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processElement1(ev("a2", "k", "a", 3_000));
            h.processElement1(ev("b2", "k", "b", 900_000)); // far past the window of a1
            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactly("k[a1, b1]");
            assertThat(h.getSideOutput(LATE)).isNull();
        }
    }

    @Test
    void anEventArrivingForAKeyWhoseRuleWasRemovedIsCheckedForRetries() throws Exception {
        try (var h = heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(), 10_000)) {
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processWatermark1(new Watermark(1_500)); // a partial match of ab
            h.processElement2(new StreamRecord<>("{\"id\":\"ab\",\"remove\":true}"));
            h.processElement1(ev("b1", "k", "b", 2_000)); // its key still holds the removed run
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processWatermark1(new Watermark(12_000));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theIdsSeenSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(), 10_000)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000)); // still waiting for the watermark
            snapshot = h.snapshot(1, 1);
        }
        try (var h = heapHarness(RuleEngineOptions.STATE_CACHE_KEYS.defaultValue(), 10_000)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.initializeState(snapshot);
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000)); // the retry after the restore
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processWatermark1(new Watermark(2_500));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactly("k[a1, b1]");
        }
    }

    @Test
    void eventsThatACheckpointOfAnEarlierVersionLeftInKeyedStateAreRestoredOnce() throws Exception {
        OperatorSubtaskState earlier;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new EarlierVersionsWaitingEvents(), (TestEvent e) -> e.key, Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            h.processElement(ev("b1", "k1", "b", 2_000));
            h.processElement(ev("a1", "k1", "a", 1_000));
            h.processElement(ev("a2", "k2", "a", 1_500));
            earlier = h.snapshot(1, 1);
        }
        OperatorSubtaskState next;
        try (var h = harness()) {
            h.initializeState(earlier);
            h.open();
            assertThat(((RuleEngineOperator<?, ?>) h.getOperator()).eventsWaiting()).isEqualTo(3);
            // Now in the raw keyed state, and gone from the list state.
            next = h.snapshot(2, 2);
        }
        assertTheThreeWaitingEventsMatchAfterARestoreOf(next);
    }

    /** a1, b1 (key k1) and a2 (k2) were waiting: with b2 they make two matches. */
    private static void assertTheThreeWaitingEventsMatchAfterARestoreOf(OperatorSubtaskState next)
            throws Exception {
        try (var h = harness()) {
            h.initializeState(next);
            h.open();
            assertThat(((RuleEngineOperator<?, ?>) h.getOperator()).eventsWaiting()).isEqualTo(3);
            h.processElement1(ev("b2", "k2", "b", 2_200));
            h.processWatermark1(new Watermark(2_500));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactlyInAnyOrder("k1[a1, b1]", "k2[a2, b2]");
        }
    }

    /** Puts events where checkpoints of earlier versions held those waiting for the watermark. */
    private static final class EarlierVersionsWaitingEvents extends AbstractStreamOperator<Void>
            implements OneInputStreamOperator<TestEvent, Void> {
        private transient ListState<Tuple2<Long, TestEvent>> waiting;

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            waiting =
                    getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            new ListStateDescriptor<>(
                                    "events-waiting-for-watermark",
                                    Types.TUPLE(Types.LONG, Types.POJO(TestEvent.class))));
        }

        @Override
        public void processElement(StreamRecord<TestEvent> record) throws Exception {
            waiting.add(Tuple2.of(record.getTimestamp(), record.getValue()));
        }
    }

    @Test
    void eventsThatACheckpointOfThePreviousVersionHeldAsEventObjectsAreRestored() throws Exception {
        OperatorSubtaskState previous;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new PreviousVersionsRawKeyedState(),
                        (TestEvent e) -> e.key,
                        Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            h.processElement(ev("b1", "k1", "b", 2_000));
            h.processElement(ev("a1", "k1", "a", 1_000));
            h.processElement(ev("a2", "k2", "a", 1_500));
            previous = h.snapshot(1, 1);
        }
        OperatorSubtaskState next;
        try (var h = harness()) {
            h.initializeState(previous);
            h.open();
            assertThat(((RuleEngineOperator<?, ?>) h.getOperator()).eventsWaiting()).isEqualTo(3);
            next = h.snapshot(2, 2); // now encoded, in this version's format
        }
        assertTheThreeWaitingEventsMatchAfterARestoreOf(next);
    }

    /**
     * Writes raw keyed state as the previous version did: per key group format 2, no cached states,
     * then each waiting event with its key and timestamp, serialized as the event type.
     */
    private static final class PreviousVersionsRawKeyedState extends AbstractStreamOperator<Void>
            implements OneInputStreamOperator<TestEvent, Void> {
        private final List<StreamRecord<TestEvent>> waiting = new ArrayList<>();

        @Override
        public void processElement(StreamRecord<TestEvent> record) {
            waiting.add(record);
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            TypeSerializer<TestEvent> events =
                    Types.POJO(TestEvent.class)
                            .createSerializer(getExecutionConfig().getSerializerConfig());
            int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
            KeyedStateCheckpointOutputStream stream = context.getRawKeyedOperatorStateOutput();
            DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(stream);
            KeyGroupsList groups = stream.getKeyGroupList();
            for (int i = 0; i < groups.getNumberOfKeyGroups(); i++) {
                int group = groups.getKeyGroupId(i);
                stream.startNewKeyGroup(group);
                List<StreamRecord<TestEvent>> inGroup =
                        waiting.stream()
                                .filter(
                                        r ->
                                                KeyGroupRangeAssignment.assignToKeyGroup(
                                                                r.getValue().key, maxParallelism)
                                                        == group)
                                .toList();
                out.writeByte(2);
                out.writeInt(0);
                out.writeInt(inGroup.size());
                for (StreamRecord<TestEvent> r : inGroup) {
                    StringSerializer.INSTANCE.serialize(r.getValue().key, out);
                    out.writeLong(r.getTimestamp());
                    events.serialize(r.getValue(), out);
                }
            }
            stream.close();
        }

        @Override
        protected boolean isUsingCustomRawKeyedState() {
            return true;
        }
    }

    @Test
    void waitingEventsCheckpointedWithOtherFieldsAreRefusedWithTheWayOut() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(ev("a1", "k1", "a", 1_000));
            snapshot = h.snapshot(1, 1);
        }
        EventSchema<TestEvent> withAnotherField =
                EventSchema.<TestEvent>builder("key")
                        .text(EventSchema.EVENT_ID, e -> e.id)
                        .number(EventSchema.EVENT_TIME, e -> e.time)
                        .text("key", e -> e.key)
                        .text("kind", e -> e.kind)
                        .text("channel", e -> "web")
                        .build();
        try (var h = heapHarness(withAnotherField, 100, 0)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            assertThatThrownBy(() -> h.initializeState(snapshot))
                    .hasStackTraceContaining("checkpointed with the event fields [eventId:TEXT,")
                    .hasStackTraceContaining("restore with the schema of the job that took");
        }
    }

    @Test
    void aCheckpointHoldsTheCachedStatesAndTheBackendOnlyTheEvictedOnes() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = heapHarness(1)) {
            h.open();
            h.processElement1(ev("a1", "k1", "a", 1_000));
            h.processElement1(ev("a2", "k2", "a", 1_100));
            h.processWatermark1(new Watermark(1_500));
            // One key fits: k1 was written back when k2 came; k2 is only in the cache.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            snapshot = h.snapshot(1, 1);
            assertThat(h.numKeyedStateEntries())
                    .as("k2 is in the checkpoint, not the backend")
                    .isEqualTo(1);
            assertThat(stateEntries(h)).isEqualTo(2);
        }
        for (int cacheKeys : new int[] {1, 0, 100}) {
            try (var h = heapHarness(cacheKeys)) {
                h.initializeState(snapshot);
                h.open();
                h.processElement1(ev("b1", "k1", "b", 2_000));
                h.processElement1(ev("b2", "k2", "b", 2_100));
                h.processWatermark1(new Watermark(2_500));
                assertThat(h.extractOutputValues())
                        .as("restored with a cache of %d keys", cacheKeys)
                        .extracting(a -> a.key + a.evidence)
                        .containsExactly("k1[a1, b1]", "k2[a2, b2]");
                assertThat(stateEntries(h)).isZero();
            }
        }
    }

    @Test
    void rocksDbWithHeapTimersIsRefusedAtTheStartWithTheFix() throws Exception {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        try (var h = heapHarness()) {
            h.setStateBackend(rocksDb);
            assertThatThrownBy(h::open)
                    .hasMessageContaining("state.backend.rocksdb.timer-service.factory: ROCKSDB");
        }
        rocksDb.setPriorityQueueStateType(
                EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        try (var h = heapHarness()) {
            h.setStateBackend(rocksDb);
            h.open();
        }
    }

    @Test
    void aStateClearedInTheCacheIsNotRestoredFromTheBackendsOlderValue() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = heapHarness(1)) {
            h.open();
            h.processElement1(ev("a1", "k1", "a", 1_000));
            h.processElement1(ev("a2", "k2", "a", 1_100)); // k1's partial match written back
            h.processWatermark1(new Watermark(1_500));
            h.processElement1(ev("b1", "k1", "b", 2_000)); // completes it: k1 holds nothing now
            h.processWatermark1(new Watermark(2_500));
            assertThat(h.extractOutputValues()).hasSize(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = heapHarness(1)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(ev("b2", "k1", "b", 3_000)); // would complete a resurrected a1
            h.processWatermark1(new Watermark(3_500));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(stateEntries(h)).as("k2's partial match").isEqualTo(1);
        }
    }

    private static final int MAX_PARALLELISM = 128;

    /** Keys of the rescaling tests: enough for both subtasks of two to have some. */
    private static List<String> rescaledKeys() {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            keys.add("k" + k);
        }
        return keys;
    }

    /** Subtask {@code subtask} of two, restored from a snapshot taken at parallelism 1, open. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, TestEvent, String, Alert>
            scaledOutToTwo(OperatorSubtaskState snapshot, int subtask) throws Exception {
        var h = harness(MAX_PARALLELISM, 2, subtask);
        try {
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask));
            h.open();
            return h;
        } catch (Exception e) {
            h.close(); // the caller's try-with-resources never gets it
            throw e;
        }
    }

    private static int subtaskOfTwo(String key) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 2);
    }

    @Test
    void cachedStatesGoWithTheirKeysWhenTheJobIsRescaled() throws Exception {
        List<String> keys = rescaledKeys();
        OperatorSubtaskState snapshot;
        try (var h = harness(MAX_PARALLELISM, 1, 0)) {
            h.open();
            for (String key : keys) {
                h.processElement1(ev("a-" + key, key, "a", 1_000));
            }
            h.processWatermark1(new Watermark(1_500));
            snapshot = h.snapshot(1, 1);
        }
        // Scaled out to two subtasks: each completes the matches of its own keys, from the
        // checkpoint's cached states.
        List<OperatorSubtaskState> halves = new ArrayList<>();
        List<String> completed = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = scaledOutToTwo(snapshot, subtask)) {
                int range = subtask;
                List<String> own = keys.stream().filter(k -> subtaskOfTwo(k) == range).toList();
                assertThat(own).as("keys of subtask %d", subtask).isNotEmpty();
                assertThat(stateEntries(h)).isEqualTo(own.size());
                for (String key : own) {
                    h.processElement1(ev("b-" + key, key, "b", 2_000));
                }
                h.processWatermark1(new Watermark(2_500));
                h.extractOutputValues().forEach(a -> completed.add(a.key));
                halves.add(h.snapshot(2, 2));
            }
        }
        assertThat(completed).containsExactlyInAnyOrderElementsOf(keys);
        // And back to one: nothing is left of the completed matches.
        try (var h = harness(MAX_PARALLELISM, 1, 0)) {
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            AbstractStreamOperatorTestHarness.repackageState(
                                    halves.toArray(new OperatorSubtaskState[0])),
                            MAX_PARALLELISM,
                            2,
                            1,
                            0));
            h.open();
            assertThat(stateEntries(h)).isZero();
        }
    }

    @Test
    void eventsWaitingForTheWatermarkGoWithTheirKeysWhenTheJobIsRescaled() throws Exception {
        List<String> keys = rescaledKeys();
        OperatorSubtaskState snapshot;
        try (var h = harness(MAX_PARALLELISM, 1, 0)) {
            h.open();
            for (String key : keys) {
                // Out of order: b arrives before a, and both wait for the watermark.
                h.processElement1(ev("b-" + key, key, "b", 2_000));
                h.processElement1(ev("a-" + key, key, "a", 1_000));
            }
            snapshot = h.snapshot(1, 1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        List<String> completed = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = scaledOutToTwo(snapshot, subtask)) {
                h.processWatermark1(new Watermark(2_500));
                for (Alert alert : h.extractOutputValues()) {
                    assertThat(subtaskOfTwo(alert.key))
                            .as("subtask of %s", alert.key)
                            .isEqualTo(subtask);
                    assertThat(alert.evidence).containsExactly("a-" + alert.key, "b-" + alert.key);
                    completed.add(alert.key);
                }
            }
        }
        assertThat(completed).containsExactlyInAnyOrderElementsOf(keys);
    }

    private static StreamRecord<TestEvent> ev(String id, String key, String kind, long t) {
        return new StreamRecord<>(new TestEvent(id, key, kind, 0, false, t), t);
    }

    @Test
    void eventsWaitingForTheWatermarkAndPartialMatchesSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(ev("a1", "k1", "a", 1_000));
            h.processWatermark1(new Watermark(1_500)); // a1 taken: a partial match in state
            h.processElement1(ev("b1", "k1", "b", 3_000)); // waiting in the queue
            h.processElement1(ev("a2", "k2", "a", 2_000)); // waiting, another key
            snapshot = h.snapshot(1, 1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(ev("b2", "k2", "b", 4_000));
            h.processWatermark1(new Watermark(5_000));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.key + a.evidence)
                    .containsExactlyInAnyOrder("k1[a1, b1]", "k2[a2, b2]");
        }
    }

    @Test
    void stateReturnsToZeroWhenTheWindowsHavePassed() throws Exception {
        try (var h = heapHarness()) {
            h.open();
            h.processElement1(ev("a1", "k1", "a", 1_000));
            h.processElement1(ev("a2", "k2", "a", 1_200));
            h.processWatermark1(new Watermark(2_000));
            assertThat(stateEntries(h)).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.processWatermark1(new Watermark(20_000));
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRuleUpdateReportsOnceAndAppliesToEventsProcessedAfterIt() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(
                    new StreamRecord<>(
                            AB.replace("\"version\":1", "\"version\":2")
                                    .replace("kind == 'b'", "kind == 'c'")));
            h.processElement2(new StreamRecord<>("{oops"));
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processElement1(ev("c1", "k", "c", 3_000));
            h.processWatermark1(new Watermark(4_000));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.evidence.toString())
                    .containsExactly("[a1, c1]");
            assertThat(h.getSideOutput(RuleEngine.RULE_STATUS))
                    .extracting(r -> r.getValue().status)
                    .containsExactly(RuleStatus.ACTIVE, RuleStatus.REJECTED);
        }
    }

    @Test
    void removingARuleDropsItsPartialMatches() throws Exception {
        try (var h = heapHarness()) {
            h.open();
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processWatermark1(new Watermark(1_500));
            assertThat(stateEntries(h)).isEqualTo(1);
            h.processElement2(new StreamRecord<>("{\"id\":\"ab\",\"remove\":true}"));
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processWatermark1(new Watermark(2_500));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(stateEntries(h)).isZero();
        }
    }

    @Test
    void theControlInputsWatermarkDoesNotHoldTimeBack() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark2(new Watermark(Long.MIN_VALUE));
            h.processElement1(ev("a1", "k", "a", 1_000));
            h.processElement1(ev("b1", "k", "b", 2_000));
            h.processWatermark1(new Watermark(3_000));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getOutput())
                    .anyMatch(o -> o instanceof Watermark w && w.getTimestamp() == 3_000);
        }
    }
}
