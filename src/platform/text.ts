/**
 * No control characters other than tab, line feed and carriage return: they break portals'
 * forms, logs and the citizen's view (and PostgreSQL refuses NUL in text). One rule for every
 * free text the hub accepts, from citizens and portals alike.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
