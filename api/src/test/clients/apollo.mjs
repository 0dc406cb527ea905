import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { relayStylePagination } from "@apollo/client/utilities";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { map } from "rxjs";

// Web Crypto, as browsers and Node both have it: no hashing package needed.
async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// url: "http://localhost:8080/graphql"; token: () => a JWT from your identity provider, or null.
export function orderlyApolloClient({ url, token }) {
  const auth = new ApolloLink((operation, forward) => {
    const jwt = token();
    if (jwt) operation.setContext(({ headers }) => ({ headers: { ...headers, authorization: `Bearer ${jwt}` } }));
    return forward(operation);
  });

  // The feed cursor of the last response of each operation, for the subscription that follows it.
  const feedCursors = new Map();
  const feedCursor = new ApolloLink((operation, forward) =>
    forward(operation).pipe(map((result) => {
      const cursor = result.extensions?.feedCursor;
      if (cursor) feedCursors.set(operation.operationName, cursor);
      return result;
    })));

  // Hash first, the text only when the server asks; hashed queries go by GET and can be cached.
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });

  // The token goes in connection_init: after it changes, socket.terminate() reconnects with the new one.
  const socket = createClient({
    url: url.replace(/^http/, "ws"),
    connectionParams: () => (token() ? { Authorization: `Bearer ${token()}` } : {}),
  });

  const client = new ApolloClient({
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket),
      ApolloLink.from([feedCursor, auth, persisted, new HttpLink({ uri: url })]),
    ),
    cache: new InMemoryCache({
      possibleTypes: { Node: ["Customer", "Product", "Order"] },
      typePolicies: {
        Query: {
          fields: {
            orders: relayStylePagination(["status", "customerId"]),
            customers: relayStylePagination(),
            products: relayStylePagination(["orderBy"]),
          },
        },
        Customer: { fields: { orders: relayStylePagination(["status"]) } },
        // An event's id is the changed object's: key events by their cursor.
        ChangeEvent: { keyFields: ["cursor"] },
      },
    }),
  });
  return { client, feedCursors, socket };
}
