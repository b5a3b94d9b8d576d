import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // When the stream first became watchable and when its recording was sealed: the host page's elapsed time,
  // the "live now" ordering and the recording's span come from these.
  yield* sql`ALTER TABLE videos ADD COLUMN live_started_at timestamptz, ADD COLUMN live_ended_at timestamptz`
})
