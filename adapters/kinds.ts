// Every adapter kind the hub can talk to, one line each: adding a kind is its folder (with its
// kind.ts) and one line here. The registry (factories) and the sandboxes both read this list.
export { cpgrams } from './cpgrams/kind';
export { statePortalRest } from './state-portal-rest/kind';
export { upIgrs } from './up-igrs/kind';
export { open311 } from './open311/kind';
