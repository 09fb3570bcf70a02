package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Container resources as configured: {@code requests.cpu=250m}, {@code limits.memory=1Gi}, one per list item. */
public final class Resources {

    private Resources() {
    }

    /**
     * Parses items such as {@code requests.cpu=250m}; later items win.
     *
     * @throws IllegalArgumentException for an item that is not {@code requests|limits.NAME=QUANTITY}
     */
    public static ResourceRequirements parse(List<String> items) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        for (String item : items) {
            String[] keyValue = item.split("=", 2);
            String[] key = keyValue[0].trim().split("\\.", 2);
            if (keyValue.length != 2 || key.length != 2 || keyValue[1].isBlank()
                    || !(key[0].equals("requests") || key[0].equals("limits"))) {
                throw new IllegalArgumentException("expected items such as requests.cpu=250m or limits.memory=1Gi, not '"
                        + item + "'");
            }
            Quantity quantity = new Quantity(keyValue[1].trim());
            Quantity.getAmountInBytes(quantity);
            (key[0].equals("requests") ? requests : limits).put(key[1], quantity);
        }
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }
}
