import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../metrics.js';

/** Counts the errors of every GraphQL answer by `extensions.code`. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) metrics.observeError(String(error.extensions?.code ?? 'UNKNOWN'));
        },
      };
    },
  };
}
