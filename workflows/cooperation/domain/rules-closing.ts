// Rules that end a project: the final evaluation, the supervisor's sign-off, and early termination.
import { closeProject, invalid, STAFF_OR_PARTNER, SUPERVISOR, type ProjectRuleBook } from './engine';
import { PROJECT_STAGES, type ProjectStage } from './vocabulary';

const OPEN_STAGES: readonly ProjectStage[] = PROJECT_STAGES.filter((s) => s !== 'closed');

export const CLOSING_RULES: ProjectRuleBook<'submit_final_evaluation' | 'close_project' | 'terminate_project'> = {
  submit_final_evaluation: {
    stages: ['final_evaluation'],
    // The evaluation is the partner's or an evaluator's that staff record.
    roles: STAFF_OR_PARTNER,
    run: (ctx, p) => {
      ctx.s.evaluation = { score: p.score, submittedAt: ctx.now };
      ctx.actionData.score = p.score;
      ctx.s.stage = 'closure';
      return undefined;
    },
  },

  close_project: {
    stages: ['closure'],
    roles: SUPERVISOR,
    run: (ctx) => {
      closeProject(ctx, 'completed', 'completed');
      return undefined;
    },
  },

  terminate_project: {
    stages: OPEN_STAGES,
    roles: SUPERVISOR,
    run: (ctx) => {
      // Ending a project early must say why, for the funder and the auditors.
      if (ctx.reason === undefined) return invalid('reason', 'required to terminate a project');
      closeProject(ctx, 'terminated', 'terminated_by_supervisor');
      return undefined;
    },
  },
};
