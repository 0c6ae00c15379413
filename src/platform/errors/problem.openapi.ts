import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

@ApiSchema({ name: 'FieldError' })
class FieldErrorSchema {
  @ApiProperty({ example: 'location.address' }) path!: string;
  @ApiProperty({ example: 'address is required' }) message!: string;
}

/** The OpenAPI picture of `ProblemBody` (RFC 9457), which every error response carries. */
@ApiSchema({ name: 'Problem' })
export class ProblemSchema {
  @ApiProperty({
    description: 'Stable problem code as a URI; the last segment names it',
    example: 'https://grievance-hub.example/problems/validation-failed',
  })
  type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ type: 'integer', example: 400 }) status!: number;
  @ApiProperty({ example: '1 field(s) are invalid' }) detail!: string;
  @ApiProperty({ example: '/api/v1/complaints' }) instance!: string;
  @ApiProperty({ description: 'Also in the X-Request-Id header', example: 'b3f1c2d4-5e6f' })
  requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'One entry per invalid field' })
  errors?: FieldErrorSchema[];
}

/** Declares error responses, all `application/problem+json`: `@ApiProblems({ 404: 'why' })`. */
export function ApiProblems(
  responses: Partial<Record<number, string>>,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...Object.entries(responses).map(([status, description = '']) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      }),
    ),
  );
}
