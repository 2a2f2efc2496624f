import { RemoteGraphQLDataSource } from '@apollo/gateway';

/**
 * The one way the gateway reaches a subgraph. Headers, signing, entity caching
 * and error mapping for subgraph calls belong here and nowhere else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  readonly subgraphName: string;

  constructor(options: { name: string; url: string }) {
    super({ url: options.url });
    this.subgraphName = options.name;
  }
}
