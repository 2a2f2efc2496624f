import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context.js';
import type { EntityCache } from './plugins/entity-cache.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { AppError, ErrorCode } from '../subgraphs/runtime/errors.js';

/**
 * The one way the gateway reaches a subgraph. Headers, signing, entity caching
 * and error mapping for subgraph calls belong here and nowhere else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  readonly subgraphName: string;

  readonly #entityCache: EntityCache | undefined;

  constructor(options: { name: string; url: string; entityCache?: EntityCache }) {
    super({ url: options.url });
    this.subgraphName = options.name;
    this.#entityCache = options.entityCache;
  }

  /**
   * A subgraph that cannot be reached fails only the fields it owns: the answer
   * keeps the other subgraphs' data and says which subgraph was missing.
   */
  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // What the answer depends on, for the response cache's invalidation.
    (options.context as Partial<GatewayContext>).servedBy?.add(this.subgraphName);
    try {
      if (this.#entityCache) return await this.#entityCache.fetch(this.subgraphName, options, (request) => super.process(request));
      return await super.process(options);
    } catch (error) {
      if (error instanceof AppError || !isNetworkFailure(error)) throw error;
      throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${this.subgraphName} subgraph is unavailable (${networkReason(error)}); its fields are null`, {
        cause: error,
        extensions: { serviceName: this.subgraphName },
      });
    }
  }
}

function isNetworkFailure(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  return name === 'FetchError' || name === 'AbortError' || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR)/.test(code));
}

function networkReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? 'no answer';
}
