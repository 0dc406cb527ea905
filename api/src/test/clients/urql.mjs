import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient } from "graphql-ws";

// url: "http://localhost:8080/graphql"; token: () => a JWT from your identity provider, or null.
export function orderlyUrqlClient({ url, token }) {
  const socket = createClient({
    url: url.replace(/^http/, "ws"),
    connectionParams: () => (token() ? { Authorization: `Bearer ${token()}` } : {}),
  });

  // urql's default preferGetMethod ("within-url-limit") sends queries by GET; Orderly runs them.
  const client = new Client({
    url,
    fetchOptions: () => (token() ? { headers: { authorization: `Bearer ${token()}` } } : {}),
    exchanges: [
      cacheExchange,
      persistedExchange({ preferGetForPersistedQueries: true }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return { subscribe: (sink) => ({ unsubscribe: socket.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, socket };
}
