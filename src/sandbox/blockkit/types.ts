export type Surface = 'message' | 'modal' | 'home';

export type RenderContext = {
  /** IANA zone used for date tokens and datetimepicker values. */
  timeZone: string;
  users: Record<string, { name: string }>;
  channels?: Record<string, { name: string }>;
  /** block_id -> message, from `response_action: errors`; shown under that input block. */
  errors?: Record<string, string>;
  /** The renderer pushes the type name of every unknown block/element here. */
  placeholders?: string[];
  /** Reference instant for {date_pretty}-style tokens and {ago}; without it they use the plain form. */
  now?: Date;
  /**
   * Prefix for radio group names. Radios group by name across the whole page,
   * so set a distinct prefix per message when several are shown at once.
   */
  idPrefix?: string;
};

/** Where an element sits, so it can carry the ids Slack would echo back in payloads. */
export type ElementScope = {
  blockId: string;
  /** Used when the app omitted action_id (Slack would generate one). */
  fallbackActionId: string;
  surface: Surface;
  /** True inside an input block with dispatch_action: changes must be sent right away. */
  dispatch?: boolean;
};
