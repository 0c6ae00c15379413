/**
 * What a citizen is told about. The notifications module owns the list and a message for each
 * (notification-messages.ts); status sync decides which kind a status change calls for.
 */
export type NotificationKind =
  | 'registered'
  | 'transferred'
  | 'resolved'
  | 'rejected'
  | 'appeal-resolved'
  | 'appeal-rejected'
  | 'appeal-closed';
