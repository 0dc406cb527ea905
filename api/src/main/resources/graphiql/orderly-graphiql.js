// Orderly's GraphiQL: every request carries the signed-in caller's bearer token, over HTTP in the
// Authorization header and over graphql-ws in the connection_init payload, as any client would.
(function () {
    const TOKEN_KEY = 'orderly.token';
    const webSocketScheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    const defaultQuery = `# Orderly: a CQRS back office. Mutations write PostgreSQL; queries read Redis.
# Anyone may read the catalog. Sign in above (as STAFF to see everything) for customers and orders.
query Overview {
  products(first: 5, orderBy: TOP_SELLING) { edges { node { sku name stock unitsSold price { amount } } } }
  me { id name orderCount }
  customers(first: 5) { totalCount edges { node { id name orderCount lifetimeValue { amount currency } } } }
}
`;

    function claimsOf(token) {
        try {
            return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
        } catch (e) {
            return {};
        }
    }

    function render() {
        const token = localStorage.getItem(TOKEN_KEY);
        const authorization = token ? { Authorization: 'Bearer ' + token } : {};
        const fetcher = GraphiQL.createFetcher({
            url: '/graphql',
            subscriptionUrl: webSocketScheme + '://' + window.location.host + '/graphql',
            headers: authorization,
            wsConnectionParams: authorization
        });
        const claims = token ? claimsOf(token) : null;
        document.getElementById('signed-in-as').textContent = claims
            ? (claims.sub || '?') + ' [' + (claims.roles || []).join(', ') + ']'
            : 'anonymous (catalog only)';
        root.render(React.createElement(GraphiQL, {
            key: token || 'anonymous',
            fetcher,
            // Never an operation from the URL: a link must not be able to pre-fill a mutation for a
            // signed-in user to run. The editor keeps what the user typed (in local storage).
            defaultQuery,
            defaultEditorToolsVisibility: true
        }));
    }

    function useToken(token) {
        if (token) {
            localStorage.setItem(TOKEN_KEY, token.replace(/^Bearer\s+/i, '').trim());
        } else {
            localStorage.removeItem(TOKEN_KEY);
        }
        render();
    }

    document.getElementById('identity').addEventListener('submit', async (event) => {
        event.preventDefault();
        const roles = Array.from(document.querySelectorAll('input[name=role]:checked')).map(box => box.value);
        const query = new URLSearchParams({ sub: document.getElementById('subject').value, roles: roles.join(',') });
        const response = await fetch('/dev-issuer/token?' + query, { method: 'POST' });
        const body = await response.json();
        if (response.ok) {
            useToken(body.access_token);
        } else {
            alert(body.error_description || 'The development issuer refused the request');
        }
    });
    document.getElementById('use-token').addEventListener('click', () => useToken(document.getElementById('token').value));
    document.getElementById('sign-out').addEventListener('click', () => useToken(null));

    // The sign-in form appears only where the development issuer runs (the zero-setup shape).
    fetch('/dev-issuer').then(response => {
        document.getElementById('dev-issuer').hidden = !response.ok;
    }, () => {});
    render();
})();
