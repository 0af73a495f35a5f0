/** Block Kit limits (SLACK.md, from Slack's Block Kit reference). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  idLength: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 75,
  selectOptions: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  /** `plain_text_input` `max_length`: Slack accepts 1–3000. */
  textInput: 3000,
} as const;
