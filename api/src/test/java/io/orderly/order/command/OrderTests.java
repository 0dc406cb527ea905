package io.orderly.order.command;

import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.orderly.command.CommandRejectedException;
import io.orderly.graphql.UserErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OrderTests {

    private static final UnaryOperator<Order> PAY = Order::markPaid;
    private static final UnaryOperator<Order> SHIP = Order::ship;
    private static final UnaryOperator<Order> DELIVER = Order::deliver;
    private static final UnaryOperator<Order> CANCEL = Order::cancel;

    static Stream<Arguments> allowedSteps() {
        return Stream.of(
                Arguments.of(OrderStatus.PLACED, "pay", PAY, OrderStatus.PAID),
                Arguments.of(OrderStatus.PAID, "ship", SHIP, OrderStatus.SHIPPED),
                Arguments.of(OrderStatus.SHIPPED, "deliver", DELIVER, OrderStatus.DELIVERED),
                Arguments.of(OrderStatus.PLACED, "cancel", CANCEL, OrderStatus.CANCELLED),
                Arguments.of(OrderStatus.PAID, "cancel", CANCEL, OrderStatus.CANCELLED));
    }

    @ParameterizedTest(name = "{1} a {0} order")
    @MethodSource("allowedSteps")
    void movesToTheNextStatusAndVersion(OrderStatus from, String step, UnaryOperator<Order> action, OrderStatus to) {
        Order order = new Order(UUID.randomUUID(), from, 3);

        assertThat(action.apply(order)).isEqualTo(new Order(order.id(), to, 4));
    }

    static Stream<Arguments> refusedSteps() {
        return Stream.of(
                Arguments.of(OrderStatus.PAID, "pay", PAY, "only PLACED orders can be paid"),
                Arguments.of(OrderStatus.SHIPPED, "pay", PAY, "only PLACED orders can be paid"),
                Arguments.of(OrderStatus.DELIVERED, "pay", PAY, "only PLACED orders can be paid"),
                Arguments.of(OrderStatus.CANCELLED, "pay", PAY, "only PLACED orders can be paid"),
                Arguments.of(OrderStatus.PLACED, "ship", SHIP, "only PAID orders can be shipped"),
                Arguments.of(OrderStatus.SHIPPED, "ship", SHIP, "only PAID orders can be shipped"),
                Arguments.of(OrderStatus.DELIVERED, "ship", SHIP, "only PAID orders can be shipped"),
                Arguments.of(OrderStatus.CANCELLED, "ship", SHIP, "only PAID orders can be shipped"),
                Arguments.of(OrderStatus.PLACED, "deliver", DELIVER, "only SHIPPED orders can be delivered"),
                Arguments.of(OrderStatus.PAID, "deliver", DELIVER, "only SHIPPED orders can be delivered"),
                Arguments.of(OrderStatus.DELIVERED, "deliver", DELIVER, "only SHIPPED orders can be delivered"),
                Arguments.of(OrderStatus.CANCELLED, "deliver", DELIVER, "only SHIPPED orders can be delivered"),
                Arguments.of(OrderStatus.SHIPPED, "cancel", CANCEL, "only PLACED or PAID orders can be cancelled"),
                Arguments.of(OrderStatus.DELIVERED, "cancel", CANCEL, "only PLACED or PAID orders can be cancelled"),
                Arguments.of(OrderStatus.CANCELLED, "cancel", CANCEL, "only PLACED or PAID orders can be cancelled"));
    }

    @ParameterizedTest(name = "cannot {1} a {0} order")
    @MethodSource("refusedSteps")
    void refusesStepsTheLifeCycleDoesNotAllowNamingTheCurrentStatus(OrderStatus from, String step,
            UnaryOperator<Order> action, String rule) {
        Order order = new Order(UUID.randomUUID(), from, 3);

        CommandRejectedException refusal = catchThrowableOfType(CommandRejectedException.class, () -> action.apply(order));

        assertThat(refusal.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(UserErrorCode.INVALID_TRANSITION);
            assertThat(error.field()).containsExactly("input", "id");
            assertThat(error.message()).contains("cannot " + step + " order " + order.id(), "it is " + from, rule);
        });
    }
}
