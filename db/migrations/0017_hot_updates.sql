-- Room on each page for a row's next version, so an update that changes no indexed column is a
-- heap-only tuple (HOT): no new entry in any index. An application's card location, stored
-- after its card is posted, changes no indexed column, and neither does an outbox claim (its
-- lease and attempt count); on full pages each wrote a new entry in every index of the table
-- (fifteen for applications). Pages written from now on keep the room.
ALTER TABLE "applications" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "outbox" SET (fillfactor = 70);
