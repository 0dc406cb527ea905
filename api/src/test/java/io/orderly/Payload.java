package io.orderly;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** A mutation payload as the tests read it: the id of the written object, the consistency token, the errors. */
public record Payload(@Nullable String id, @Nullable String consistencyToken, List<Map<String, Object>> errors) {

    @SuppressWarnings("unchecked")
    public static Payload of(GraphQlTester.Response response, String mutation, String idField) {
        Map<String, Object> payload = response.path(mutation).entity(Map.class).get();
        return new Payload((String) payload.get(idField), (String) payload.get("consistencyToken"),
                (List<Map<String, Object>>) payload.get("errors"));
    }

    /** The id of the written object; fails the test if the command was refused. */
    public String acceptedId() {
        assertThat(errors).as("errors").isEmpty();
        assertThat(consistencyToken).as("consistencyToken").isNotNull();
        assertThat(id).as("id").isNotNull();
        return id;
    }

    /** Asserts that the command was refused with this one error, and that the payload names no write. */
    public void assertRefused(String code, List<String> field, String messagePart) {
        assertRefused();
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("code", code).containsEntry("field", field);
            assertThat((String) error.get("message")).contains(messagePart);
        });
    }

    /** Asserts that the command was refused: errors, and neither an id nor a token. */
    public void assertRefused() {
        assertThat(errors).as("errors").isNotEmpty();
        assertThat(id).as("id").isNull();
        assertThat(consistencyToken).as("consistencyToken").isNull();
    }
}
