package io.orderly.graphql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The list of error codes in the docs names every code the server can answer with. */
class ErrorCodesDocumentedTests {

    @Test
    void docsListEveryErrorCode() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "errors.md"));

        for (ErrorCodes code : ErrorCodes.values()) {
            assertThat(docs).as("docs/errors.md").contains("| `" + code.name() + "` |");
        }
    }
}
