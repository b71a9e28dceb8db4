// What auth's repositories run their statements on: the pool (the kit's Db) or a transaction (its Tx).
import type { Db, Tx } from '@dreamseed/kit'

export type Executor = Db | Tx
