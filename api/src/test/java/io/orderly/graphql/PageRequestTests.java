package io.orderly.graphql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageRequestTests {

    @Test
    void defaultsToTwentyWithoutCursor() {
        assertThat(PageRequest.of(null, null)).isEqualTo(new PageRequest(20, null, false));
    }

    @Test
    void decodesTheCursorsItIssues() {
        String cursor = PageRequest.encodeCursor("0001795713761713458|9fb4d087");
        assertThat(PageRequest.of(5, cursor).cursor()).isEqualTo("0001795713761713458|9fb4d087");
    }

    @Test
    void refusesPageSizesOutsideTheLimit() {
        assertThatThrownBy(() -> PageRequest.of(101, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> PageRequest.of(-1, null)).isInstanceOf(InvalidRequestException.class);
        assertThat(PageRequest.of(0, null).size()).isZero();
        assertThat(PageRequest.of(100, null).size()).isEqualTo(100);
    }

    @Test
    void refusesForeignCursors() {
        assertThatThrownBy(() -> PageRequest.of(5, "%%%")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PageRequest.of(5, "dGVzdA")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a cursor issued by this API");
    }

    @Test
    void pagesBackwardWithLastAndBefore() {
        String cursor = PageRequest.encodeCursor("0002|b");
        PageRequest request = PageRequest.of(null, null, 3, cursor);

        assertThat(request).isEqualTo(new PageRequest(3, "0002|b", true));
        assertThat(request.includes("0001|a", false)).isTrue();
        assertThat(request.includes("0003|c", false)).isFalse();
        assertThat(request.includes("0003|c", true)).isTrue();
        assertThat(PageRequest.of(null, null, null, cursor).size()).isEqualTo(20);
    }

    @Test
    void refusesBothDirectionsAtOnce() {
        assertThatThrownBy(() -> PageRequest.of(2, null, 2, null)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> PageRequest.of(101, null, null, null)).hasMessageContaining("first");
        assertThatThrownBy(() -> PageRequest.of(null, null, 101, null)).hasMessageContaining("last");
    }
}
