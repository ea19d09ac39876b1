package dev.tideway.rules.expression;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one event type that rules may use, each with a typed getter. A job declares the
 * schema once (for example, card transactions: amount, currency, declined, latitude, ...), and
 * every rule is type-checked against it when it is compiled, before it runs.
 */
public final class EventSchema<E> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fields every schema has: the id used as evidence and the event time in epoch millis. */
    public static final String EVENT_ID = "eventId";

    public static final String EVENT_TIME = "eventTime";

    /** A getter that Flink can ship to the cluster with the job. */
    @FunctionalInterface
    public interface Getter<E, V> extends Serializable {
        V get(E event);
    }

    @FunctionalInterface
    public interface NumberGetter<E> extends Serializable {
        double get(E event);
    }

    @FunctionalInterface
    public interface BooleanGetter<E> extends Serializable {
        boolean get(E event);
    }

    /**
     * Builds an event back from its fields. With it, the rules engine receives events already
     * encoded by the source's task ({@code RuleEngine}) and rebuilds only the rare ones it must
     * hand back as events: those late at the engine, for the job's dead letters.
     */
    @FunctionalInterface
    public interface Rebuild<E> extends Serializable {
        E from(Fields fields);
    }

    /** One event's fields by name, for {@link Rebuild}. */
    public interface Fields {
        double number(String field);

        String text(String field);

        boolean bool(String field);
    }

    private final String keyField;
    private final List<String> names;
    private final List<FieldType> types;
    private final List<Serializable> getters;
    private final Rebuild<E> rebuild;
    private final Map<String, Integer> index;

    private EventSchema(
            String keyField,
            List<String> names,
            List<FieldType> types,
            List<Serializable> g,
            Rebuild<E> rebuild) {
        this.keyField = keyField;
        this.names = List.copyOf(names);
        this.types = List.copyOf(types);
        this.getters = List.copyOf(g);
        this.rebuild = rebuild;
        this.index = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        for (String required : List.of(EVENT_ID, EVENT_TIME, keyField)) {
            if (!index.containsKey(required)) {
                throw new IllegalArgumentException("an event schema needs a field " + required);
            }
        }
    }

    public static <E> Builder<E> builder(String keyField) {
        return new Builder<>(keyField);
    }

    /** The field events are grouped by; a rule's {@code key} must name it. */
    public String keyField() {
        return keyField;
    }

    public int size() {
        return names.size();
    }

    /** Index of a field, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    public String name(int field) {
        return names.get(field);
    }

    public FieldType type(int field) {
        return types.get(field);
    }

    public List<String> names() {
        return names;
    }

    @SuppressWarnings("unchecked")
    public double number(int field, E event) {
        return ((NumberGetter<E>) getters.get(field)).get(event);
    }

    @SuppressWarnings("unchecked")
    public String text(int field, E event) {
        return ((Getter<E, String>) getters.get(field)).get(event);
    }

    @SuppressWarnings("unchecked")
    public boolean bool(int field, E event) {
        return ((BooleanGetter<E>) getters.get(field)).get(event);
    }

    /** A field's value boxed (Double, String or Boolean), to keep it in a partial match. */
    public Object value(int field, E event) {
        switch (types.get(field)) {
            case NUMBER:
                return number(field, event);
            case BOOLEAN:
                return bool(field, event);
            default:
                return text(field, event);
        }
    }

    /** Whether events of this schema can be built back from their fields ({@link Rebuild}). */
    public boolean canRebuild() {
        return rebuild != null;
    }

    /** The event the fields describe; only for a schema that {@link #canRebuild()}. */
    public E rebuild(EventView view) {
        if (rebuild == null) {
            throw new IllegalStateException("this event schema has no Rebuild");
        }
        return rebuild.from(
                new Fields() {
                    @Override
                    public double number(String field) {
                        return view.number(declared(field));
                    }

                    @Override
                    public String text(String field) {
                        return view.text(declared(field));
                    }

                    @Override
                    public boolean bool(String field) {
                        return view.bool(declared(field));
                    }
                });
    }

    private int declared(String field) {
        int i = indexOf(field);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "the event schema has no field '" + field + "'; its fields are " + names);
        }
        return i;
    }

    public String eventId(E event) {
        return text(indexOf(EVENT_ID), event);
    }

    public long eventTime(E event) {
        return (long) number(indexOf(EVENT_TIME), event);
    }

    /** A view of one live event, reused for every event to avoid garbage on the hot path. */
    public LiveEvent<E> liveView() {
        return new LiveEvent<>(this);
    }

    /** Mutable view over the event being processed. */
    public static final class LiveEvent<E> implements EventView {
        private final EventSchema<E> schema;
        private E event;

        LiveEvent(EventSchema<E> schema) {
            this.schema = schema;
        }

        public LiveEvent<E> of(E event) {
            this.event = event;
            return this;
        }

        public E event() {
            return event;
        }

        @Override
        public double number(int field) {
            return schema.number(field, event);
        }

        @Override
        public String text(int field) {
            return schema.text(field, event);
        }

        @Override
        public boolean bool(int field) {
            return schema.bool(field, event);
        }
    }

    /** Declares fields in order; the order is part of the engine's state format. */
    public static final class Builder<E> {
        private final String keyField;
        private final List<String> names = new ArrayList<>();
        private final List<FieldType> types = new ArrayList<>();
        private final List<Serializable> getters = new ArrayList<>();
        private Rebuild<E> rebuild;

        private Builder(String keyField) {
            this.keyField = keyField;
        }

        public Builder<E> number(String name, NumberGetter<E> getter) {
            return add(name, FieldType.NUMBER, getter);
        }

        public Builder<E> text(String name, Getter<E, String> getter) {
            return add(name, FieldType.TEXT, getter);
        }

        public Builder<E> bool(String name, BooleanGetter<E> getter) {
            return add(name, FieldType.BOOLEAN, getter);
        }

        private Builder<E> add(String name, FieldType type, Serializable getter) {
            if (names.contains(name)) {
                throw new IllegalArgumentException("field " + name + " declared twice");
            }
            names.add(name);
            types.add(type);
            getters.add(getter);
            return this;
        }

        /** How to build an event back from the declared fields: see {@link Rebuild}. */
        public Builder<E> rebuiltBy(Rebuild<E> rebuild) {
            this.rebuild = rebuild;
            return this;
        }

        public EventSchema<E> build() {
            return new EventSchema<>(keyField, names, types, getters, rebuild);
        }
    }
}
