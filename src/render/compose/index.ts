// Compose input: compose.yaml / docker-compose.yml files become Container, Network and Volume resources.
export { COMPOSE_FILE_NAMES, composeRenderer } from './compose-renderer.js';
export { interpolate } from './interpolate.js';
export { shellWords } from './shell-words.js';
