package dev.tideway.connectors.files;

import java.io.Serializable;

/** A record's event time, epoch milliseconds: it chooses the record's lake partition. */
@FunctionalInterface
public interface EventTimeOf<T> extends Serializable {
    long eventTimeOf(T record);
}
