package io.orderly.graphql;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.orderly.runtime.OrderlyProperties.Limits;
import org.jspecify.annotations.Nullable;

/**
 * One pass over a parsed, not yet validated document, fragments expanded, that stops at the first
 * limit it crosses. Stopping there keeps the pass cheap on hostile documents (a fragment spread
 * twice in each of 30 fragments expands to a billion fields) and bounds its recursion by the depth
 * limits. Unknown fragments and fragment cycles are stepped over: validation reports them.
 */
final class DocumentWalk {

    private final Limits limits;
    private final Map<String, FragmentDefinition> fragments;
    private final Set<String> expanding = new HashSet<>();
    private long nodes;
    private long aliases;
    private long rootFields;
    private boolean mutation;

    private DocumentWalk(Limits limits, Map<String, FragmentDefinition> fragments) {
        this.limits = limits;
        this.fragments = fragments;
    }

    /** @throws LimitExceeded for the first limit the document crosses */
    static void check(Document document, Limits limits) {
        List<FragmentDefinition> definitions = document.getDefinitionsOfType(FragmentDefinition.class);
        if (definitions.size() > limits.maxFragments()) {
            throw new LimitExceeded(ErrorCodes.TOO_MANY_FRAGMENTS, "The document defines " + definitions.size()
                    + " fragments: at most " + limits.maxFragments() + " are allowed");
        }
        DocumentWalk walk = new DocumentWalk(limits, definitions.stream()
                .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity(), (first, again) -> first)));
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            walk.rootFields = 0;
            walk.mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
            walk.selections(operation.getSelectionSet(), 1);
        }
    }

    private void selections(@Nullable SelectionSet selectionSet, int depth) {
        if (selectionSet == null) {
            return;
        }
        for (Selection<?> selection : selectionSet.getSelections()) {
            if (++nodes > limits.maxNodes()) {
                throw new LimitExceeded(ErrorCodes.TOO_MANY_NODES, "The document selects too many fields and fragments once "
                        + "its fragments are expanded: at most " + limits.maxNodes() + " are allowed");
            }
            if (selection instanceof Field field) {
                field(field, depth);
            }
            else if (selection instanceof InlineFragment inline) {
                selections(inline.getSelectionSet(), depth);
            }
            else if (selection instanceof FragmentSpread spread) {
                spread(spread, depth);
            }
        }
    }

    private void field(Field field, int depth) {
        if (depth > limits.maxDepth()) {
            throw new LimitExceeded(ErrorCodes.QUERY_TOO_DEEP,
                    "The query nests fields too deeply: at most " + limits.maxDepth() + " levels are allowed");
        }
        if (field.getAlias() != null && ++aliases > limits.maxAliases()) {
            throw new LimitExceeded(ErrorCodes.TOO_MANY_ALIASES,
                    "The document uses too many aliases: at most " + limits.maxAliases() + " are allowed");
        }
        if (depth == 1) {
            rootField();
        }
        selections(field.getSelectionSet(), depth + 1);
    }

    private void rootField() {
        rootFields++;
        if (mutation && rootFields > limits.maxMutations()) {
            throw new LimitExceeded(ErrorCodes.TOO_MANY_MUTATIONS, "The operation runs too many mutations: at most "
                    + limits.maxMutations() + " are allowed in one request (send the rest in further requests)");
        }
        if (rootFields > limits.maxRootFields()) {
            throw new LimitExceeded(ErrorCodes.TOO_MANY_ROOT_FIELDS, "The operation selects too many root fields: at most "
                    + limits.maxRootFields() + " are allowed (send the rest in further requests)");
        }
    }

    private void spread(FragmentSpread spread, int depth) {
        FragmentDefinition fragment = fragments.get(spread.getName());
        if (fragment == null || !expanding.add(spread.getName())) {
            return;
        }
        if (expanding.size() > limits.maxFragmentDepth()) {
            throw new LimitExceeded(ErrorCodes.FRAGMENTS_TOO_DEEP, "Fragment spreads nest too deeply (at " + spread.getName()
                    + "): at most " + limits.maxFragmentDepth() + " levels are allowed");
        }
        selections(fragment.getSelectionSet(), depth);
        expanding.remove(spread.getName());
    }
}
