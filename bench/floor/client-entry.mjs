// Floor for client weight: React + ReactDOM's own client runtime and nothing
// else (hydrateRoot of a trivial tree). Bundled minified/production by
// bench/lib/client-weight.mjs into bench/.work/floor/client.js.
import { createElement } from 'react'
import { hydrateRoot } from 'react-dom/client'

hydrateRoot(document.getElementById('root'), createElement('div', null))
