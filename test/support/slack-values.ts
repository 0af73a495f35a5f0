import { VALUE } from '../../views/modals/kit.ts';

/** Slack's `view.state.values` shapes for each input kind. */
export const input = {
  text: (value: string) => ({ type: 'plain_text_input', value }),
  radio: (value: string) => ({ type: 'radio_buttons', selected_option: { value } }),
  select: (value: string) => ({ type: 'static_select', selected_option: { value } }),
  user: (id: string) => ({ type: 'users_select', selected_user: id }),
};

export const values = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([blockId, state]) => [blockId, { [VALUE]: state }]));

export const ALL_PASS = {
  'criterion.use_case': input.radio('pass'),
  'criterion.launch_readiness': input.radio('pass'),
  'criterion.public_website': input.radio('pass'),
  'criterion.geographies': input.radio('pass'),
  'criterion.differentiation': input.radio('pass'),
};

/** More of Slack's state shapes: date pickers and multi-value inputs. */
export const inputMore = {
  dateTime: (at: Date) => ({ type: 'datetimepicker', selected_date_time: Math.floor(at.getTime() / 1000) }),
  date: (ymd: string) => ({ type: 'datepicker', selected_date: ymd }),
  multi: (values: string[]) => ({ type: 'multi_static_select', selected_options: values.map((value) => ({ value })) }),
  checkboxes: (values: string[]) => ({ type: 'checkboxes', selected_options: values.map((value) => ({ value })) }),
};
