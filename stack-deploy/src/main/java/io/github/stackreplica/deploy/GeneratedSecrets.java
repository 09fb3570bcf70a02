package io.github.stackreplica.deploy;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fresh random values for the template variables that only Secrets use. They matter only when a Secret is created:
 * an existing Secret is never overwritten, so its values stay.
 */
final class GeneratedSecrets {

    static final List<String> NAMES = List.of("DATABASE_ROOT_PASSWORD", "DATABASE_USER_PASSWORD",
            "DJANGO_SECRET_KEY", "DJANGO_SUPERUSER_PASSWORD");

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecrets() {
    }

    /** A new random value for each of {@link #NAMES}: 50 characters for the Django key, 24 for passwords. */
    static Map<String, String> generate() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            values.put(name, random(name.equals("DJANGO_SECRET_KEY") ? 50 : 24));
        }
        return values;
    }

    private static String random(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return value.toString();
    }
}
