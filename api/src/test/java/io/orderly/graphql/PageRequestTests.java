package io.orderly.graphql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageRequestTests {

    @Test
    void defaultsToTwentyWithoutCursor() {
        assertThat(PageRequest.of(null, null)).isEqualTo(new PageRequest(20, null));
    }

    @Test
    void decodesTheCursorsItIssues() {
        String cursor = PageRequest.encodeCursor("0001795713761713458|9fb4d087");
        assertThat(PageRequest.of(5, cursor).after()).isEqualTo("0001795713761713458|9fb4d087");
    }

    @Test
    void refusesPageSizesOutsideTheLimit() {
        assertThatThrownBy(() -> PageRequest.of(101, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> PageRequest.of(-1, null)).isInstanceOf(InvalidRequestException.class);
        assertThat(PageRequest.of(0, null).first()).isZero();
        assertThat(PageRequest.of(100, null).first()).isEqualTo(100);
    }

    @Test
    void refusesForeignCursors() {
        assertThatThrownBy(() -> PageRequest.of(5, "%%%")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PageRequest.of(5, "dGVzdA")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a cursor issued by this API");
    }
}
