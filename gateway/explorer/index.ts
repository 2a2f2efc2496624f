import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { exampleTabs, type ExampleData } from './examples.js';

/**
 * GraphiQL for analysts, served whole by the gateway: the networks it runs in
 * have no internet, so no asset comes from a CDN. The bundle of
 * @graphql-yoga/render-graphiql is split into static files so that the page can
 * run under a strict Content-Security-Policy (no inline script).
 */
export const explorerPath = '/explorer';

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco, the editor, sets styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
  brotli?: Buffer;
}

export interface Explorer {
  /** Serves the page (for GET /graphql from a browser) or an asset; false when the path is not the explorer's. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): boolean;
}

export function createExplorer(options: { endpoint: string; examples: ExampleData }): Explorer {
  // The GraphiQL bundle takes ~80 MiB once loaded: a gateway that no browser visits never loads it.
  let loaded: Promise<{ assets: Map<string, Asset>; page: Asset }> | undefined;
  const send = (request: IncomingMessage, response: ServerResponse, served: Asset) => {
    response.setHeader('content-type', served.type);
    response.setHeader('etag', served.etag);
    response.setHeader('cache-control', 'no-cache');
    response.setHeader('content-security-policy', contentSecurityPolicy);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === served.etag) {
      response.statusCode = 304;
      response.end();
      return;
    }
    if (/\bbr\b/.test(String(request.headers['accept-encoding'] ?? '')) && served.body.length > 1024) {
      // Compressed once, on first demand: the bundle is 8.4 MiB, 1.8 MiB with brotli.
      served.brotli ??= brotliCompressSync(served.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6 } });
      response.setHeader('content-encoding', 'br');
      response.end(served.brotli);
      return;
    }
    response.end(served.body);
  };

  return {
    handle(request, response, path) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const page = path === options.endpoint && String(request.headers.accept ?? '').includes('text/html');
      if (!page && !path.startsWith(`${explorerPath}/`)) return false;
      loaded ??= loadExplorer(options);
      loaded.then(
        (explorer) => {
          const served = page ? explorer.page : explorer.assets.get(path.slice(explorerPath.length + 1));
          if (served) send(request, response, served);
          else response.writeHead(404, { 'content-type': 'text/plain' }).end(`No explorer file ${path}`);
        },
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('The explorer cannot be loaded'),
      );
      return true;
    },
  };
}

async function loadExplorer(options: { endpoint: string; examples: ExampleData }): Promise<{ assets: Map<string, Asset>; page: Asset }> {
  const { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } = await import('@graphql-yoga/render-graphiql/graphiql');
  const asset = (type: string, text: string): Asset => ({
    type,
    body: Buffer.from(text),
    etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 20)}"`,
  });
  const workers = { editorWorkerService: 'editor', json: 'json', graphql: 'graphql' };
  const tabs = exampleTabs(options.examples);
  const settings = {
    title: 'Vietnam national data gateway',
    endpoint: options.endpoint,
    defaultTabs: tabs,
    // GraphiQL fills the first tab's variable editor from this, not from the tab.
    variables: tabs[0]?.variables,
    shouldPersistHeaders: false,
  };
  const assets = new Map<string, Asset>([
    ['graphiql.css', asset('text/css', css)],
    ['graphiql.js', asset('text/javascript', js)],
    ['worker/editor.js', asset('text/javascript', editorWorkerService)],
    ['worker/json.js', asset('text/javascript', jsonWorker)],
    ['worker/graphql.js', asset('text/javascript', graphqlWorker)],
    [
      'setup.js',
      asset(
        'text/javascript',
        `self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => ${JSON.stringify(explorerPath)} + '/worker/' + (${JSON.stringify(workers)}[label] || 'editor') + '.js' };`,
      ),
    ],
    ['favicon.ico', { type: 'image/x-icon', body: Buffer.from(favicon.slice(favicon.indexOf(',') + 1), 'base64'), etag: '"favicon"' }],
    [
      'start.js',
      asset('text/javascript', `YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${JSON.stringify(settings)});`),
    ],
  ]);
  const page = asset(
    'text/html; charset=utf-8',
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${settings.title}</title>
    <link rel="icon" href="${explorerPath}/favicon.ico" />
    <link rel="stylesheet" href="${explorerPath}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>The explorer needs JavaScript.</noscript>
    <div id="root"></div>
    <script src="${explorerPath}/setup.js"></script>
    <script src="${explorerPath}/graphiql.js"></script>
    <script src="${explorerPath}/start.js"></script>
  </body>
</html>
`,
  );

  return { assets, page };
}
