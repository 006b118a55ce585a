// Entry point of /event/{id} (kept apart so paste.js can reuse event.js's renderers).
"use strict";
EWEvent.show();
