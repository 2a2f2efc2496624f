/** Entities another subgraph owns, as this subgraph hands them to the gateway: just their key. */
export interface CitizenReference {
  readonly pin: string;
}

export interface AdministrativeUnitReference {
  readonly code: string;
}
