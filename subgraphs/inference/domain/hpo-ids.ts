/** HPO term ids: "HP:" and seven digits (https://hpo.jax.org). */
export const HPO_ID = /^HP:\d{7}$/;
