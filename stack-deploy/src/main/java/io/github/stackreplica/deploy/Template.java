package io.github.stackreplica.deploy;

import java.util.Set;

/**
 * One template file: its name, its text with {@code ${VARIABLE}} placeholders, and the components it belongs to (its
 * {@code # component: infra,app} line).
 */
record Template(String file, String text, Set<Component> components) {
}
