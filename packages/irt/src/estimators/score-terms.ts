// The sums an estimating equation needs at one theta, in a module of their own so the item models that
// add to them (polytomous.ts) and the estimators that read them (likelihood.ts) need not import each other.

export interface ScoreTerms {
  /** d log L / d theta */
  score: number;
  /** d^2 log L / d theta^2 */
  curvature: number;
  /** test information I(theta) */
  info: number;
  /** dI / d theta */
  dInfo: number;
  /** J(theta) = sum P' P'' / (P Q) (Warm 1989); sum over categories of P'_k P''_k / P_k for polytomous items */
  j: number;
  /** dJ / d theta */
  dJ: number;
}
